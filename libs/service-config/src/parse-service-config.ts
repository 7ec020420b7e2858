import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

import { errorMessage } from '@flowline/core';
import { parseEgressAllow } from '@flowline/executors';
import { DEFAULT_PREFIX, STEP_QUEUES, type QueuedStepType, hashTag } from '@flowline/queue-bullmq';

import { ConfigError } from './config-error.js';
import { EnvReader } from './env-reader.js';
import { parseStorage } from './parse-storage.js';
import type {
  CoordinatorServiceConfig,
  Environment,
  RedisConfig,
  ServiceConfig,
  ServiceName,
  WorkerServiceConfig,
} from './service-config.js';

const TOKEN_DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_CONCURRENCY = 256;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;
/** BullMQ's default: a job whose worker stops renewing its lock this long is stalled and runs elsewhere. */
const DEFAULT_LOCK_DURATION_MS = 30_000;

/**
 * Reads a service's environment once, into typed settings (docs/configuration.md
 * lists every variable). Pure apart from resolving relative paths against
 * the working directory. Throws a ConfigError holding one line per problem,
 * all of them at once.
 */
export function parseServiceConfig(env: Environment, service: 'coordinator'): CoordinatorServiceConfig;
export function parseServiceConfig(env: Environment, service: 'worker'): WorkerServiceConfig;
export function parseServiceConfig(env: Environment, service: ServiceName): ServiceConfig;
export function parseServiceConfig(env: Environment, service: ServiceName): ServiceConfig {
  const reader = new EnvReader(env);
  const common = {
    redis: redisConfig(reader),
    ...parseStorage(reader),
    tempDir: resolve(reader.text('FLOWLINE_TMPDIR') ?? tmpdir()),
    telemetry: {
      serviceName: reader.text('OTEL_SERVICE_NAME') ?? `flowline-${service}`,
      env: reader.withPrefix('OTEL_'),
    },
    secretsSource: env,
  };
  const config: ServiceConfig =
    service === 'coordinator'
      ? { ...common, service, ...coordinatorSettings(reader) }
      : { ...common, service, ...workerSettings(reader) };
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);
  return config;
}

function redisConfig(reader: EnvReader): RedisConfig {
  const url = reader.required('REDIS_URL', 'redis://host:6379 or rediss://host:6380 (TLS)');
  if (url !== undefined) {
    const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
    if (protocol !== 'redis:' && protocol !== 'rediss:') {
      reader.bad('REDIS_URL', withoutPassword(url), 'redis://[user:password@]host:port[/db] or rediss://…');
    }
  }
  const prefix = reader.text('FLOWLINE_REDIS_PREFIX') ?? DEFAULT_PREFIX;
  if (hashTag(prefix) === undefined) {
    reader.bad('FLOWLINE_REDIS_PREFIX', prefix, 'a prefix holding a Redis Cluster hash tag, such as {flowline}');
  }
  return { url: url ?? '', prefix, cluster: reader.flag('FLOWLINE_REDIS_CLUSTER') };
}

function coordinatorSettings(reader: EnvReader) {
  return {
    port: reader.wholeNumber('PORT', { min: 0, max: 65_535 }, 8080),
    tokenDigests: tokenDigests(reader),
    workflowsDir: resolve(reader.text('FLOWLINE_WORKFLOWS_DIR') ?? 'workflows'),
  };
}

/**
 * Digests, never tokens: a leaked environment then gives nobody access.
 * Entries are never echoed, since a token pasted by mistake would be.
 */
function tokenDigests(reader: EnvReader): string[] {
  const entries = reader.list('FLOWLINE_API_TOKENS');
  const expected = 'comma-separated sha256:<64 hex digits> entries, as `flowline token new` prints';
  if (entries === undefined || entries.length === 0) return reader.missing('FLOWLINE_API_TOKENS', expected) ?? [];
  const digests = entries.map((entry) => entry.toLowerCase());
  digests.forEach((digest, i) => {
    if (!TOKEN_DIGEST.test(digest)) {
      reader.problem(
        `FLOWLINE_API_TOKENS entry ${i + 1} (value hidden): expected sha256:<64 hex digits>, the digest \`flowline token new\` prints, not the token`,
      );
    }
  });
  return [...new Set(digests)];
}

function workerSettings(reader: EnvReader) {
  return {
    queues: workerQueues(reader),
    concurrency: reader.wholeNumber('WORKER_CONCURRENCY', { min: 1, max: MAX_CONCURRENCY }, DEFAULT_CONCURRENCY),
    sandbox: reader.oneOf('FLOWLINE_SANDBOX', ['bwrap', 'none'] as const, 'bwrap'),
    egressAllow: egressAllow(reader),
    shutdownGraceMs: reader.durationMs('WORKER_SHUTDOWN_GRACE', DEFAULT_SHUTDOWN_GRACE_MS),
    lockDurationMs: reader.durationMs('WORKER_LOCK_DURATION', DEFAULT_LOCK_DURATION_MS),
  };
}

function workerQueues(reader: EnvReader): QueuedStepType[] {
  const names = reader.list('WORKER_QUEUES');
  if (names === undefined) return [...STEP_QUEUES];
  const queues = names.filter((name): name is QueuedStepType => STEP_QUEUES.some((q) => q === name));
  if (queues.length === names.length && queues.length > 0) return [...new Set(queues)];
  reader.bad(
    'WORKER_QUEUES',
    reader.text('WORKER_QUEUES') ?? '',
    `a comma-separated list of ${STEP_QUEUES.join(', ')}`,
  );
  return [...STEP_QUEUES];
}

function egressAllow(reader: EnvReader): string | undefined {
  const value = reader.text('FLOWLINE_EGRESS_ALLOW');
  try {
    parseEgressAllow(value);
    return value;
  } catch (error) {
    // The executors' own parser phrases it ("FLOWLINE_EGRESS_ALLOW: "x" is not …"); one line either way.
    return reader.problem(errorMessage(error));
  }
}

/** A Redis URL for messages: the password replaced. */
function withoutPassword(url: string): string {
  if (!URL.canParse(url)) return url.replace(/\/\/[^@/]*@/, '//***@');
  const parsed = new URL(url);
  if (parsed.password === '') return url;
  parsed.password = '***';
  return parsed.toString();
}
