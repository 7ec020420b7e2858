import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { errorMessage } from '@flowline/core';
import { S3Store } from '@flowline/cache-s3';
import { OffloadingRunStateStore } from '@flowline/cluster';
import type { StepCache } from '@flowline/ports';
import { openDynamoDbState } from '@flowline/state-dynamodb';
import { FileRunStateStore, FileStepLogStore, FsBlobStore, FsDeadLetterStore, FsStepCache } from '@flowline/store-fs';

import type { ClusterStores } from './cluster-stores.js';
import { ConfigError } from './config-error.js';
import type { AwsConfig, S3Config, ServiceConfig, StateConfig } from './service-config.js';

type DynamoDbStateConfig = Extract<StateConfig, { readonly kind: 'dynamodb' }>;

export interface OpenStoresOptions {
  /** One line per cache problem (a corrupt entry, S3 refusing a write): the cache carries on as a miss. Default: stderr. */
  readonly warn?: (message: string) => void;
}

/** A run id no run can have (ids start with a letter or digit): reading it is a cheap round trip. */
const PING_RUN_ID = 'flowline-ping';

/**
 * Opens the stores the configuration names: everything in files under
 * `FLOWLINE_STATE_DIR`, or run state on DynamoDB. Blobs (workflow bundles,
 * change sets, the bytes of cache entries) are on S3 whenever S3 is
 * configured, since a shared cache's entries point at them and workers on
 * other machines read them; they are cached on local disk per process.
 * Large output values are kept in the blobs too (see withLargeOutputs).
 */
export async function openClusterStores(
  config: ServiceConfig,
  options: OpenStoresOptions = {},
): Promise<ClusterStores> {
  const warn = options.warn ?? ((message: string) => process.stderr.write(`flowline: ${message}\n`));
  const s3 = config.s3 === undefined ? undefined : await openS3(config.s3, config.aws);
  try {
    const stores =
      config.state.kind === 'file'
        ? await fileStores(config, config.state.dir, s3, warn)
        : await dynamoDbStores(config, config.state, s3, warn);
    return withLargeOutputs(config, stores);
  } catch (error) {
    s3?.destroy();
    throw error;
  }
}

async function fileStores(
  config: ServiceConfig,
  dir: string,
  s3: S3Store | undefined,
  warn: (message: string) => void,
): Promise<ClusterStores> {
  await mkdir(dir, { recursive: true });
  const runs = new FileRunStateStore(dir);
  return {
    runs,
    logs: new FileStepLogStore(dir),
    deadLetters: new FsDeadLetterStore(dir),
    blobs: s3 === undefined ? new FsBlobStore(dir) : s3.cachingBlobs(blobCacheDir(config)),
    cache: config.cache === 'fs' ? new FsStepCache(dir, cacheCallbacks(warn)) : s3Cache(config, s3, warn),
    ping: async () => void (await runs.get(PING_RUN_ID)),
    close: () => {
      s3?.destroy();
      return Promise.resolve();
    },
  };
}

async function dynamoDbStores(
  config: ServiceConfig,
  { table, endpoint, init }: DynamoDbStateConfig,
  s3: S3Store | undefined,
  warn: (message: string) => void,
): Promise<ClusterStores> {
  // parseServiceConfig requires S3_BUCKET with DynamoDB state; a hand-built configuration may not.
  if (s3 === undefined)
    throw new ConfigError(['S3_BUCKET is not set: expected the bucket name, required with FLOWLINE_STATE=dynamodb']);
  const state = await openDynamoDbState({
    tableName: table,
    region: config.aws.region ?? '',
    ...(endpoint === undefined ? {} : { endpoint }),
    ...credentials(config.aws),
    init,
  });
  return {
    runs: state.runs,
    logs: state.logs,
    deadLetters: state.deadLetters,
    blobs: s3.cachingBlobs(blobCacheDir(config)),
    cache: s3Cache(config, s3, warn),
    ping: () => state.ping(),
    close: () => {
      state.close();
      s3.destroy();
      return Promise.resolve();
    },
  };
}

/**
 * Output values over 64 KiB go to the blobs, the state keeping a reference
 * (DESIGN §2): decided here, so coordinator and workers always agree.
 */
function withLargeOutputs(config: ServiceConfig, stores: ClusterStores): ClusterStores {
  const tempDir = join(config.tempDir, `flowline-outputs-${config.service}`);
  return { ...stores, runs: new OffloadingRunStateStore({ inner: stores.runs, blobs: stores.blobs, tempDir }) };
}

function openS3(s3: S3Config, aws: AwsConfig): Promise<S3Store> {
  return S3Store.create({
    bucket: s3.bucket,
    region: aws.region ?? '',
    ...(s3.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
    ...(s3.prefix === undefined ? {} : { prefix: s3.prefix }),
    ...credentials(aws),
  });
}

function s3Cache(
  config: ServiceConfig,
  s3: S3Store | undefined,
  warn: (message: string) => void,
): StepCache | undefined {
  return config.cache === 's3' && s3 !== undefined ? s3.stepCache(cacheCallbacks(warn)) : undefined;
}

/** Blobs are content-addressed, so a local copy never goes stale; one directory per process's temp dir. */
function blobCacheDir(config: ServiceConfig): string {
  return join(config.tempDir, `flowline-blobs-${config.service}`);
}

function credentials(aws: AwsConfig) {
  return aws.credentials === undefined ? {} : { credentials: aws.credentials };
}

function cacheCallbacks(warn: (message: string) => void) {
  return {
    onCorrupt: (key: string, reason: string) =>
      warn(`cache entry ${key.slice(0, 12)} is corrupt (${reason}); treated as a miss`),
    onError: (operation: string, key: string, error: unknown) =>
      warn(`cache ${operation} of ${key.slice(0, 12)} failed (${errorMessage(error)}); carrying on without it`),
  };
}
