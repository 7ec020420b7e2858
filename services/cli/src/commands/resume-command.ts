import { resumeLocalRun, retryLocalRun } from '@flowline/runner-local';

import { EXIT, UsageError } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';
import type { CliIo } from '../cli-io.js';
import { DRIVE_OPTIONS, DRIVE_OPTION_HELP, driveLocal, workflowForRun } from '../local/drive-local.js';
import { openStores, stateDirOf } from '../local/local-setup.js';
import {
  SERVER_OPTION,
  SERVER_OPTION_HELP,
  refuseLocalOptions,
  serverOf,
  withCoordinator,
} from '../remote/remote-setup.js';
import { watchRun } from '../remote/run-watch.js';

export const resumeCommand: Command = {
  name: 'resume',
  summary: 'Continue a run whose process stopped (killed, crashed, interrupted)',
  usage: 'flowline resume RUN_ID [--state-dir DIR] [--parallel N] [--no-cache] [--json]',
  details: 'Completed steps keep their outputs; steps that were running start again.',
  options: { ...DRIVE_OPTIONS },
  optionHelp: { ...DRIVE_OPTION_HELP },
  positionals: [1, 1],
  run: (args, io) => continueRun(args, io, 'resume'),
};

export const retryCommand: Command = {
  name: 'retry',
  summary: 'Run a finished run’s failed steps again, or a step and everything after it',
  usage:
    'flowline retry RUN_ID [--from STEP] [--state-dir DIR] [--parallel N] [--no-cache] [--json]\n' +
    '       flowline retry RUN_ID [--from STEP] --server URL [--wait] [--json]',
  details:
    'Every other step keeps its outputs. On this machine the workspace is used as it is now and the\n' +
    'retry runs to its end; with --server the coordinator runs it, and --wait follows it.',
  options: { from: { type: 'string' }, ...DRIVE_OPTIONS, ...SERVER_OPTION, wait: { type: 'boolean' } },
  optionHelp: {
    from: 'the step to run again, with its descendants',
    ...DRIVE_OPTION_HELP,
    ...SERVER_OPTION_HELP,
    wait: 'with --server: follow the run until it ends; exit 1 unless it succeeded',
  },
  positionals: [1, 1],
  run(args, io) {
    const server = serverOf(args, io);
    return server === undefined ? continueRun(args, io, 'retry') : retryRemote(args, io, server);
  },
};

/** resume and retry: the run's own workflow file and workspace, from its record. */
async function continueRun(args: ParsedCommand, io: CliIo, command: 'resume' | 'retry'): Promise<number> {
  const runId = args.positionals[0]!;
  const stateDir = stateDirOf(args.values['state-dir'], io);
  const record = await openStores(stateDir).runs.get(runId);
  if (record === undefined) throw new UsageError(`no run ${runId} in ${stateDir}`, command);
  const workflow = await workflowForRun(record.workflowFile, io, command);
  if (workflow === undefined) return EXIT.usage;
  const from = args.values['from'] as string | undefined;
  return driveLocal(io, args, { workflow, workspace: record.workspace, stateDir }, (deps, options) =>
    command === 'resume' ? resumeLocalRun(deps, options, runId) : retryLocalRun(deps, options, runId, from),
  );
}

/** `retry --server`: the coordinator re-runs the steps; `--wait` follows it as `submit --wait` does. */
function retryRemote(args: ParsedCommand, io: CliIo, server: string): Promise<number> {
  refuseLocalOptions(args, ['state-dir', 'parallel', 'no-cache'], 'retry');
  const from = args.values['from'] as string | undefined;
  const json = args.values['json'] === true;
  return withCoordinator(io, 'retry', server, async (client) => {
    const run = await client.retryRun(args.positionals[0]!, from);
    if (args.values['wait'] !== true) {
      io.stdout.write(json ? `${JSON.stringify(run, null, 2)}\n` : `run ${run.run_id} ${run.status}\n`);
      return EXIT.ok;
    }
    const finished = await watchRun(client, run.run_id, io);
    if (json) io.stdout.write(`${JSON.stringify(finished, null, 2)}\n`);
    return finished.status === 'succeeded' ? EXIT.ok : EXIT.failed;
  });
}
