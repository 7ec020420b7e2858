import { formatDuration } from '@flowline/core';
import type { RunRecord } from '@flowline/ports';

import { EXIT, UsageError } from '../cli-io.js';
import type { Command } from '../command.js';
import { openStores, stateDirOf } from '../local/local-setup.js';

const STATUSES = ['running', 'succeeded', 'failed', 'cancelled'];

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List runs on this machine, newest first',
  usage: 'flowline runs list [--status S] [--workflow NAME] [--state-dir DIR] [--json]',
  options: {
    status: { type: 'string' },
    workflow: { type: 'string' },
    'state-dir': { type: 'string' },
    json: { type: 'boolean' },
  },
  optionHelp: {
    status: STATUSES.join(', '),
    workflow: 'only runs of this workflow (its name)',
    'state-dir': 'where runs live (default ./.flowline)',
    json: 'print a JSON array of run records',
  },
  positionals: [1, 1],
  async run(args, io) {
    if (args.positionals[0] !== 'list') throw new UsageError(`runs has one subcommand, list`, 'runs');
    const status = args.values['status'] as string | undefined;
    if (status !== undefined && !STATUSES.includes(status))
      throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`, 'runs');
    const workflow = args.values['workflow'] as string | undefined;
    const runs = await openStores(stateDirOf(args.values['state-dir'], io)).runs.list({
      ...(status === undefined ? {} : { status: status as RunRecord['status'] }),
      ...(workflow === undefined ? {} : { workflow }),
    });
    if (args.values['json'] === true) io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else io.stdout.write(table(runs));
    return EXIT.ok;
  },
};

function table(runs: readonly RunRecord[]): string {
  const rows = [
    ['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION'],
    ...runs.map((r) => [
      r.runId,
      r.workflowName,
      r.status,
      new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 19),
      r.finishedAt === undefined ? '—' : formatDuration(r.finishedAt - r.createdAt),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return (
    rows
      .map((row) =>
        row
          .map((cell, col) => cell.padEnd(widths[col]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
