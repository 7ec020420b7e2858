import { EXIT } from '../cli-io.js';
import type { Command } from '../command.js';
import { SERVER_OPTION, SERVER_OPTION_HELP, requireServer, withCoordinator } from '../remote/remote-setup.js';

export const cancelCommand: Command = {
  name: 'cancel',
  summary: "Cancel a coordinator's run: queued steps are withdrawn, running ones stopped",
  usage: 'flowline cancel RUN_ID --server URL [--json]',
  details: 'Exit status 1 when the run has already finished (or is unknown).',
  options: { json: { type: 'boolean' }, ...SERVER_OPTION },
  optionHelp: { json: 'print the API’s JSON for the cancelled run', ...SERVER_OPTION_HELP },
  positionals: [1, 1],
  run(args, io) {
    const server = requireServer(args, io, 'cancel');
    return withCoordinator(io, 'cancel', server, async (client) => {
      const run = await client.cancelRun(args.positionals[0]!);
      io.stdout.write(
        args.values['json'] === true ? `${JSON.stringify(run, null, 2)}\n` : `run ${run.run_id} ${run.status}\n`,
      );
      return EXIT.ok;
    });
  },
};
