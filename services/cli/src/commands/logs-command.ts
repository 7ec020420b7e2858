import { EXIT, UsageError } from '../cli-io.js';
import type { Command } from '../command.js';
import { openStores, stateDirOf } from '../local/local-setup.js';

export const logsCommand: Command = {
  name: 'logs',
  summary: "Print a run's step logs (secrets masked)",
  usage: 'flowline logs RUN_ID [STEP] [--state-dir DIR]',
  details: 'STEP is a step id, or an item of a fan-out step such as each[2].',
  options: { 'state-dir': { type: 'string' } },
  optionHelp: { 'state-dir': 'where runs live (default ./.flowline)' },
  positionals: [1, 2],
  async run(args, io) {
    const [runId, step] = args.positionals as [string, string | undefined];
    const stores = openStores(stateDirOf(args.values['state-dir'], io));
    if ((await stores.runs.get(runId)) === undefined) throw new UsageError(`no run ${runId}`, 'logs');
    io.stdout.write(await stores.logs.read(runId, step));
    return EXIT.ok;
  },
};
