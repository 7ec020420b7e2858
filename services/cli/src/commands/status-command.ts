import { formatDuration } from '@flowline/core';

import { EXIT } from '../cli-io.js';
import type { Command } from '../command.js';
import type { RunDetailJson, StepJson } from '../remote/api-types.js';
import { SERVER_OPTION, SERVER_OPTION_HELP, requireServer, withCoordinator } from '../remote/remote-setup.js';
import { oneLine, shortTime, textTable } from '../text-table.js';

export const statusCommand: Command = {
  name: 'status',
  summary: "Show a coordinator's run: its status, error and outputs, and a table of its steps",
  usage: 'flowline status RUN_ID --server URL [--json]',
  details: 'Exit status 0 whatever the run’s status (submit --wait waits for it); 1 for an unknown run.',
  options: { json: { type: 'boolean' }, ...SERVER_OPTION },
  optionHelp: { json: 'print the API’s JSON for the run and its steps', ...SERVER_OPTION_HELP },
  positionals: [1, 1],
  run(args, io) {
    const server = requireServer(args, io, 'status');
    return withCoordinator(io, 'status', server, async (client) => {
      const run = await client.getRun(args.positionals[0]!);
      io.stdout.write(args.values['json'] === true ? `${JSON.stringify(run, null, 2)}\n` : runText(run));
      return EXIT.ok;
    });
  },
};

function runText(run: RunDetailJson): string {
  const lines = [`run ${run.run_id}  ${run.workflow_name}  ${run.status}`];
  const finished =
    run.finished_at === null
      ? ''
      : `   finished ${shortTime(run.finished_at)} (${formatDuration(Date.parse(run.finished_at) - Date.parse(run.created_at))})`;
  lines.push(`started ${shortTime(run.created_at)}${finished}`);
  if (run.error !== null) lines.push(`error: ${run.error.message}`);
  const outputs = Object.entries(run.outputs);
  if (outputs.length > 0) lines.push(`outputs: ${outputs.map(([k, v]) => `${k}=${oneLine(v, 60)}`).join(' ')}`);
  return `${lines.join('\n')}\n\n${stepTable(run.steps)}`;
}

function stepTable(steps: readonly StepJson[]): string {
  return textTable([
    ['STEP', 'TYPE', 'STATUS', 'ATTEMPT', 'DURATION', 'NOTE'],
    ...steps.map((s) => [
      s.key,
      s.type,
      s.status,
      s.attempt === 0 ? '—' : String(s.attempt),
      s.duration_ms === null ? '—' : formatDuration(s.duration_ms),
      note(s),
    ]),
  ]);
}

function note(step: StepJson): string {
  if (step.error !== null) return oneLine(step.error.message, 80);
  if (step.reason !== null) return oneLine(step.reason, 80);
  return step.cache_hit ? 'cached' : '';
}
