import { type CliIo, EXIT, UsageError } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';
import { openStores, stateDirOf } from '../local/local-setup.js';
import type { CoordinatorClient } from '../remote/coordinator-client.js';
import {
  SERVER_OPTION,
  SERVER_OPTION_HELP,
  refuseLocalOptions,
  serverOf,
  withCoordinator,
} from '../remote/remote-setup.js';

export const logsCommand: Command = {
  name: 'logs',
  summary: "Print a run's step logs (secrets masked), from this machine or a coordinator",
  usage: 'flowline logs RUN_ID [STEP] [--state-dir DIR | --server URL]',
  details: 'STEP is a step id, or an item of a fan-out step such as each[2].',
  options: { 'state-dir': { type: 'string' }, ...SERVER_OPTION },
  optionHelp: { 'state-dir': 'where runs live (default ./.flowline)', ...SERVER_OPTION_HELP },
  positionals: [1, 2],
  async run(args, io) {
    const [runId, step] = args.positionals as [string, string | undefined];
    const server = serverOf(args, io);
    if (server !== undefined) return remoteLogs(args, io, server, runId, step);
    const stores = openStores(stateDirOf(args.values['state-dir'], io));
    if ((await stores.runs.get(runId)) === undefined) throw new UsageError(`no run ${runId}`, 'logs');
    io.stdout.write(await stores.logs.read(runId, step));
    return EXIT.ok;
  },
};

function remoteLogs(args: ParsedCommand, io: CliIo, server: string, runId: string, step: string | undefined) {
  refuseLocalOptions(args, ['state-dir'], 'logs');
  return withCoordinator(io, 'logs', server, async (client) => {
    io.stdout.write(step === undefined ? await runLog(client, runId) : await client.stepLog(runId, step));
    return EXIT.ok;
  });
}

/** Every step's log in the order the steps started, as `flowline logs` prints a local run's. */
async function runLog(client: CoordinatorClient, runId: string): Promise<string> {
  const run = await client.getRun(runId);
  const started = run.steps
    .filter((s) => s.started_at !== null)
    .sort((a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!));
  let text = '';
  for (const step of started) {
    const log = await client.stepLog(runId, step.key);
    if (log !== '') text += log.endsWith('\n') ? log : `${log}\n`;
  }
  return text;
}
