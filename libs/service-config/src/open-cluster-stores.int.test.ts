import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type DynaliteServer, type S3rverServer, startDynalite, startS3rver } from '@flowline/test-servers';

import { FileRunStateStore } from '@flowline/store-fs';

import { cacheEntry, cacheKey, deadLetter, finished, newRun } from '../../ports/src/test-support/fixtures.js';
import type { ClusterStores } from './cluster-stores.js';
import { openClusterStores } from './open-cluster-stores.js';
import { parseServiceConfig } from './parse-service-config.js';
import type { Environment } from './service-config.js';

const BUCKET = 'flowline-stores';
let dir: string;
let dynalite: DynaliteServer;
let s3rver: S3rverServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowline-stores-'));
  [dynalite, s3rver] = await Promise.all([startDynalite(), startS3rver({ buckets: [BUCKET] })]);
});
afterAll(async () => {
  await Promise.all([dynalite.stop(), s3rver.stop()]);
  await rm(dir, { recursive: true, force: true });
});

function open(env: Environment): Promise<ClusterStores> {
  return openClusterStores(parseServiceConfig({ REDIS_URL: 'redis://127.0.0.1:6379', ...env }, 'worker'), {
    warn: (message) => {
      throw new Error(`unexpected warning: ${message}`);
    },
  });
}

function s3Env(): Environment {
  return {
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: s3rver.endpoint,
    AWS_REGION: s3rver.region,
    AWS_ACCESS_KEY_ID: s3rver.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3rver.credentials.secretAccessKey,
  };
}

/** DynamoDB on dynalite and S3 on s3rver: both accept any region, and dynalite any key pair. */
function cloudEnv(table: string, extra: Environment = {}): Environment {
  return {
    ...s3Env(),
    FLOWLINE_STATE: 'dynamodb',
    DYNAMODB_TABLE: table,
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    FLOWLINE_STATE_INIT: 'true',
    FLOWLINE_TMPDIR: dir,
    ...extra,
  };
}

/** Writes and reads through every store; returns the blob's digest so another process's stores can look for it. */
async function roundTrip(stores: ClusterStores): Promise<string> {
  await stores.ping();
  const run = await stores.runs.create(newRun());
  expect(await stores.runs.get(run.runId)).toEqual(run);
  await stores.logs.append(run.runId, 'build', 1, 'hello\n');
  expect(await stores.logs.read(run.runId, 'build')).toContain('hello');
  const letter = deadLetter({ runId: run.runId });
  await stores.deadLetters.put(letter);
  expect(await stores.deadLetters.get(letter.id)).toEqual(letter);
  const file = join(dir, `blob-${run.runId}`);
  await writeFile(file, `contents of ${run.runId}`);
  const { digest } = await stores.blobs.putFile(file);
  expect(await stores.blobs.has(digest)).toBe(true);
  if (stores.cache !== undefined) {
    const entry = cacheEntry(cacheKey(run.runId));
    await stores.cache.put(entry);
    expect(await stores.cache.get(entry.key, entry.createdAt)).toEqual(entry);
  }
  return digest;
}

async function readBlob(stores: ClusterStores, digest: string): Promise<string> {
  const out = join(dir, `read-${digest.slice(-12)}-${Date.now()}`);
  await stores.blobs.getFile(digest, out, 0o600);
  return readFile(out, 'utf8');
}

describe('openClusterStores', () => {
  it('FLOWLINE_STATE=file: everything in files under FLOWLINE_STATE_DIR, shared by two processes’ stores', async () => {
    const env = { FLOWLINE_STATE_DIR: join(dir, 'state') };
    const [a, b] = [await open(env), await open(env)];
    const digest = await roundTrip(a);
    expect(await readBlob(b, digest)).toMatch(/^contents of /);
    expect(a.cache?.constructor.name).toBe('FsStepCache');
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps output values over 64 KiB in the blobs, and every service reads them back whole', async () => {
    const env = { FLOWLINE_STATE_DIR: join(dir, 'state') };
    const [coordinator, worker] = [await open(env), await open(env)];
    const { runId } = await coordinator.runs.create(newRun());
    const big = 'x'.repeat(70_000);
    await coordinator.runs.appendEvents(runId, 0, [finished('build', { big })]);
    const [read] = await worker.runs.readEvents(runId);
    expect(read?.event).toMatchObject({ outcome: { outputs: { big } } });
    const raw = await new FileRunStateStore(join(dir, 'state')).readEvents(runId);
    expect(JSON.stringify(raw).length).toBeLessThan(10_000);
    await Promise.all([coordinator.close(), worker.close()]);
  });

  it('FLOWLINE_CACHE=none: no cache', async () => {
    const stores = await open({ FLOWLINE_STATE_DIR: join(dir, 'state'), FLOWLINE_CACHE: 'none' });
    expect(stores.cache).toBeUndefined();
    await roundTrip(stores);
    await stores.close();
  });

  it('FLOWLINE_STATE=dynamodb: state on DynamoDB, blobs and cache on S3, seen by another worker', async () => {
    const [a, b] = [
      await open(cloudEnv('flowline-a')),
      await open(cloudEnv('flowline-a', { FLOWLINE_TMPDIR: tmpdir() })),
    ];
    const digest = await roundTrip(a);
    expect(await readBlob(b, digest)).toMatch(/^contents of /);
    expect(a.cache?.constructor.name).toBe('S3StepCache');
    expect((await b.deadLetters.list()).length).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('files with FLOWLINE_CACHE=s3: blobs go to S3 with the cache entries that point at them', async () => {
    const stores = await open({ ...s3Env(), FLOWLINE_STATE_DIR: join(dir, 'state'), FLOWLINE_CACHE: 's3' });
    const digest = await roundTrip(stores);
    const other = await open({ ...s3Env(), FLOWLINE_STATE_DIR: join(dir, 'elsewhere'), FLOWLINE_CACHE: 's3' });
    expect(await readBlob(other, digest)).toMatch(/^contents of /);
    await Promise.all([stores.close(), other.close()]);
  });

  it('ping fails when the table is missing and FLOWLINE_STATE_INIT is off', async () => {
    const stores = await open(cloudEnv('flowline-missing', { FLOWLINE_STATE_INIT: 'false' }));
    await expect(stores.ping()).rejects.toMatchObject({ code: 'state_table_missing' });
    await stores.close();
  });
});
