import { startCoordinatorService } from '@flowline/coordinator';
import { FlowlineError } from '@flowline/core';
import {
  type ClusterStores,
  ConfigError,
  type CoordinatorServiceConfig,
  openClusterStores,
  parseServiceConfig,
} from '@flowline/service-config';
import { type ServeIo, oneLine, untilSignalled } from '@flowline/worker';

import { EXIT } from '../cli-io.js';

/** Start-up failures that mean "fix the configuration": exit 2. Anything unreachable is 1. */
const SETUP_CODES = new Set(['bad_config', 'state_config_invalid', 'invalid_redis_url', 'invalid_queue_prefix']);

/**
 * `flowline serve coordinator`: the HTTP API and the run coordinator until
 * SIGTERM or SIGINT, then a graceful stop (requests and reports in flight
 * finish). Exit 0 after a clean stop, 2 for bad configuration (one line per
 * problem), 1 when Redis or the stores cannot be reached.
 */
export async function serveCoordinator(io: ServeIo): Promise<number> {
  const fail = (line: string) => io.stderr.write(`flowline coordinator: error: ${line}\n`);
  let config: CoordinatorServiceConfig;
  try {
    config = parseServiceConfig(io.env, 'coordinator');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) fail(problem);
    return EXIT.usage;
  }
  let stores: ClusterStores | undefined;
  try {
    stores = await openClusterStores(config, { warn: (line) => io.stderr.write(`flowline coordinator: ${line}\n`) });
    const service = await startCoordinatorService(serviceOptions(config, stores));
    io.stdout.write(`flowline coordinator: listening on ${service.url}\n`);
    const opened = stores;
    await untilSignalled(io.signals ?? process, async (force) => {
      if (force) return; // Nothing to hand back: requests and reports in flight are short.
      await service.close();
      await opened.close();
    });
    return EXIT.ok;
  } catch (error) {
    await stores?.close();
    fail(oneLine(error));
    return error instanceof FlowlineError && SETUP_CODES.has(error.code) ? EXIT.usage : EXIT.failed;
  }
}

function serviceOptions(config: CoordinatorServiceConfig, stores: ClusterStores) {
  return {
    stores,
    redisUrl: config.redis.url,
    prefix: config.redis.prefix,
    redisCluster: config.redis.cluster,
    port: config.port,
    tokenDigests: config.tokenDigests,
    workflowsDir: config.workflowsDir,
    // The coordinator takes one fixed set of secrets, which it masks wherever it writes: the whole
    // environment would mask every value in it. Until it takes them per workflow (as the worker
    // does, secretsFromEnvironment), templates it renders itself (`if`, conditions, run outputs)
    // cannot read secrets; steps, which the workers run, can.
    secrets: {},
    tempDir: config.tempDir,
  };
}
