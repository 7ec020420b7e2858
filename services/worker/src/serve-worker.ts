import { FlowlineError, errorMessage } from '@flowline/core';
import { ConfigError, type Environment, type WorkerServiceConfig, parseServiceConfig } from '@flowline/service-config';

import { type WorkerService, startWorkerService } from './worker-service.js';

/** A process's streams, environment and signals, passed in so `flowline serve worker` and tests share this. */
export interface ServeIo {
  readonly env: Environment;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Where SIGTERM and SIGINT come from; default `process`. */
  readonly signals?: SignalSource;
}

export interface SignalSource {
  on(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

/** Failures at start that mean "fix the configuration or the machine": exit 2, like a bad variable. */
const SETUP_CODES = new Set([
  'bad_config',
  'sandbox_unavailable',
  'change_capture_unavailable',
  'state_config_invalid',
  'invalid_redis_url',
  'invalid_queue_prefix',
]);

/**
 * Runs the worker until SIGTERM or SIGINT, then shuts down gracefully (a
 * second signal hands running steps back at once). Returns the exit
 * status: 0 after a clean stop, 2 for bad configuration (one line per
 * problem on stderr), 1 when it could not start otherwise (Redis or the
 * state store unreachable), also as one line.
 */
export async function serveWorker(io: ServeIo): Promise<number> {
  const fail = (line: string) => io.stderr.write(`flowline worker: error: ${line}\n`);
  let config: WorkerServiceConfig;
  try {
    config = parseServiceConfig(io.env, 'worker');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) fail(problem);
    return 2;
  }
  let service: WorkerService;
  try {
    service = await startWorkerService(config, { log: (line) => io.stderr.write(`${line}\n`) });
  } catch (error) {
    fail(oneLine(error));
    return error instanceof FlowlineError && SETUP_CODES.has(error.code) ? 2 : 1;
  }
  io.stdout.write(`flowline worker ${service.workerId}: ready; ${describe(config)}\n`);
  await untilSignalled(io.signals ?? process, (force) => service.close({ force }));
  return 0;
}

/** Resolves once `close` has finished after the first signal; a second signal calls it again with `force`. */
export function untilSignalled(signals: SignalSource, close: (force: boolean) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let closing: Promise<void> | undefined;
    const onSignal = () => {
      if (closing !== undefined) {
        void close(true);
        return;
      }
      closing = close(false).finally(() => {
        signals.off('SIGTERM', onSignal);
        signals.off('SIGINT', onSignal);
      });
      closing.then(resolve, reject);
    };
    signals.on('SIGTERM', onSignal);
    signals.on('SIGINT', onSignal);
  });
}

/** Any start-up failure as one line: a port in use or an unwritable directory is no reason for a stack trace. */
export function oneLine(error: unknown): string {
  return errorMessage(error).split('\n').join('; ');
}

function describe(config: WorkerServiceConfig): string {
  const state = config.state.kind === 'file' ? `files in ${config.state.dir}` : `DynamoDB table ${config.state.table}`;
  return [
    `queues ${config.queues.join(', ')} (${config.concurrency} at a time each)`,
    `prefix ${config.redis.prefix}`,
    `state ${state}`,
    `cache ${config.cache}`,
    `sandbox ${config.sandbox}`,
  ].join(', ');
}
