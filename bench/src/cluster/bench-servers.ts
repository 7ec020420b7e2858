import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type RedisServer, startDynalite, startRedis, startS3rver } from '@flowline/test-servers';

/** The production stack's servers, each its own process: Redis, the DynamoDB API (dynalite), the S3 API (s3rver). */
export interface BenchServers {
  readonly redis: RedisServer;
  /** Scratch space for the processes of this stack. */
  readonly tempDir: string;
  /** The environment a coordinator or worker service reads (docs/configuration.md), pointing at these servers. */
  env(extra?: Readonly<Record<string, string>>): Record<string, string>;
  /** Process ids of the servers, for their memory. */
  readonly pids: { readonly redis: number; readonly dynalite: number; readonly s3rver: number };
  stop(): Promise<void>;
}

const BUCKET = 'flowline-bench';
export const QUEUE_PREFIX = '{flowline-bench}';

export async function startBenchServers(): Promise<BenchServers> {
  const tempDir = await mkdtemp(join(tmpdir(), 'flowline-bench-cluster-'));
  const [redis, dynalite, s3rver] = await Promise.all([
    startRedis(),
    startDynalite(),
    startS3rver({ buckets: [BUCKET] }),
  ]);
  const base: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    REDIS_URL: redis.url,
    FLOWLINE_REDIS_PREFIX: QUEUE_PREFIX,
    FLOWLINE_STATE: 'dynamodb',
    DYNAMODB_TABLE: 'flowline',
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    FLOWLINE_STATE_INIT: 'true',
    FLOWLINE_CACHE: 's3',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: s3rver.endpoint,
    AWS_REGION: s3rver.region,
    // dynalite takes any key pair; s3rver only its own.
    AWS_ACCESS_KEY_ID: s3rver.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3rver.credentials.secretAccessKey,
    FLOWLINE_TMPDIR: tempDir,
  };
  return {
    redis,
    tempDir,
    env: (extra = {}) => ({ ...base, ...extra }),
    pids: { redis: redis.pid ?? 0, dynalite: dynalite.pid ?? 0, s3rver: s3rver.pid ?? 0 },
    async stop() {
      await Promise.all([redis.stop(), dynalite.stop(), s3rver.stop()]);
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}
