import { formatDuration } from '@flowline/core';
import type { RunRecord } from '@flowline/ports';

import { type CliIo, EXIT, UsageError } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';
import { openStores, stateDirOf } from '../local/local-setup.js';
import type { RunJson } from '../remote/api-types.js';
import {
  SERVER_OPTION,
  SERVER_OPTION_HELP,
  refuseLocalOptions,
  serverOf,
  withCoordinator,
} from '../remote/remote-setup.js';
import { shortTime, textTable } from '../text-table.js';

const LOCAL_STATUSES = ['running', 'succeeded', 'failed', 'cancelled'];
/** A coordinator also has runs waiting for their workflow's concurrency limit. */
const REMOTE_STATUSES = ['queued', ...LOCAL_STATUSES];

export const runsCommand: Command = {
  name: 'runs',
  summary: 'List runs on this machine or on a coordinator, newest first',
  usage: 'flowline runs list [--status S] [--workflow NAME] [--state-dir DIR | --server URL] [--json]',
  options: {
    status: { type: 'string' },
    workflow: { type: 'string' },
    'state-dir': { type: 'string' },
    ...SERVER_OPTION,
    json: { type: 'boolean' },
  },
  optionHelp: {
    status: `${REMOTE_STATUSES.join(', ')} (queued: on a coordinator only)`,
    workflow: 'only runs of this workflow (its name)',
    'state-dir': 'where runs live (default ./.flowline)',
    ...SERVER_OPTION_HELP,
    json: 'print a JSON array of runs',
  },
  positionals: [1, 1],
  async run(args, io) {
    if (args.positionals[0] !== 'list') throw new UsageError(`runs has one subcommand, list`, 'runs');
    const server = serverOf(args, io);
    const status = args.values['status'] as string | undefined;
    const statuses = server === undefined ? LOCAL_STATUSES : REMOTE_STATUSES;
    if (status !== undefined && !statuses.includes(status))
      throw new UsageError(`--status must be one of ${statuses.join(', ')}`, 'runs');
    const workflow = args.values['workflow'] as string | undefined;
    const filter = { ...(status === undefined ? {} : { status }), ...(workflow === undefined ? {} : { workflow }) };
    if (server !== undefined) return remoteRuns(args, io, server, filter);
    const runs = await openStores(stateDirOf(args.values['state-dir'], io)).runs.list(
      filter as { status?: RunRecord['status']; workflow?: string },
    );
    if (args.values['json'] === true) io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else io.stdout.write(localTable(runs));
    return EXIT.ok;
  },
};

/** `runs list --server`: the coordinator's runs, in the API's JSON shape with --json. */
function remoteRuns(
  args: ParsedCommand,
  io: CliIo,
  server: string,
  filter: { status?: string; workflow?: string },
): Promise<number> {
  refuseLocalOptions(args, ['state-dir'], 'runs');
  return withCoordinator(io, 'runs', server, async (client) => {
    const runs = await client.listRuns(filter);
    if (args.values['json'] === true) io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else io.stdout.write(remoteTable(runs));
    return EXIT.ok;
  });
}

const HEADER = ['RUN', 'WORKFLOW', 'STATUS', 'STARTED', 'DURATION'];

function localTable(runs: readonly RunRecord[]): string {
  return textTable([
    HEADER,
    ...runs.map((r) => [
      r.runId,
      r.workflowName,
      r.status,
      shortTime(r.createdAt),
      r.finishedAt === undefined ? '—' : formatDuration(r.finishedAt - r.createdAt),
    ]),
  ]);
}

function remoteTable(runs: readonly RunJson[]): string {
  return textTable([
    HEADER,
    ...runs.map((r) => [
      r.run_id,
      r.workflow_name,
      r.status,
      shortTime(r.created_at),
      r.finished_at === null ? '—' : formatDuration(Date.parse(r.finished_at) - Date.parse(r.created_at)),
    ]),
  ]);
}
