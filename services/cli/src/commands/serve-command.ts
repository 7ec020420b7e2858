import { UsageError } from '../cli-io.js';
import type { Command } from '../command.js';

const SERVICES = ['coordinator', 'worker'] as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run a cluster service (coordinator or worker) until SIGTERM',
  usage: 'flowline serve coordinator|worker',
  details: [
    'Configured by environment variables only (docs/configuration.md): REDIS_URL, FLOWLINE_STATE,',
    'FLOWLINE_API_TOKENS (coordinator), WORKER_QUEUES and WORKER_CONCURRENCY (worker), and the rest.',
    'A bad value is one line on stderr and exit 2. SIGTERM or SIGINT stops gracefully; a worker',
    'lets running steps finish for WORKER_SHUTDOWN_GRACE (a second signal hands them back at once).',
  ].join('\n'),
  options: {},
  optionHelp: {},
  positionals: [1, 1],
  // The services (express, BullMQ, the AWS SDKs) are imported only here: loaded
  // at start-up they cost every other command about a third of a second.
  async run(args, io) {
    const service = args.positionals[0];
    const serveIo = { env: io.env, stdout: io.stdout, stderr: io.stderr };
    if (service === 'worker') return (await import('@flowline/worker')).serveWorker(serveIo);
    if (service === 'coordinator') return (await import('../serve/serve-coordinator.js')).serveCoordinator(serveIo);
    throw new UsageError(`serve takes ${SERVICES.join(' or ')}, not "${service}"`, 'serve');
  },
};
