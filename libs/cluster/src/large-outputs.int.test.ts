import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { S3Store } from '@flowline/cache-s3';
import { type DynamoDbState, openDynamoDbState } from '@flowline/state-dynamodb';
import { type DynaliteServer, type S3rverServer, startDynalite, startS3rver } from '@flowline/test-servers';

import { finished, newRun } from '../../ports/src/test-support/fixtures.js';
import { describeRunStateStoreContract } from '../../ports/src/test-support/run-state-store-contract.js';
import { OffloadingRunStateStore } from './large-outputs.js';

/**
 * The production pairing: run state on DynamoDB (dynalite), large outputs
 * in S3 (s3rver). An output past DynamoDB's item limit can be recorded at
 * all only because it is offloaded.
 */
let dynalite: DynaliteServer;
let s3rver: S3rverServer;
let s3: S3Store;
let dir = '';
const opened: DynamoDbState[] = [];
let tables = 0;

beforeAll(async () => {
  [dynalite, s3rver] = await Promise.all([startDynalite(), startS3rver({ buckets: ['flowline'] })]);
  s3 = await S3Store.create({
    bucket: 'flowline',
    region: s3rver.region,
    endpoint: s3rver.endpoint,
    credentials: s3rver.credentials,
    forcePathStyle: true,
  });
  dir = await mkdtemp(join(tmpdir(), 'flowline-large-outputs-int-'));
});

afterAll(async () => {
  for (const state of opened.splice(0)) state.close();
  s3.destroy();
  await Promise.all([dynalite.stop(), s3rver.stop(), rm(dir, { recursive: true, force: true })]);
});

/** A fresh table, and a decorator over it with S3 blobs; `reopen` has an empty memory, like another coordinator. */
async function cloudStores() {
  tables += 1;
  const state = await openDynamoDbState({
    tableName: `large-outputs-${process.pid}-${tables}`,
    region: dynalite.region,
    endpoint: dynalite.endpoint,
    credentials: dynalite.credentials,
    init: true,
  });
  opened.push(state);
  const open = () =>
    new OffloadingRunStateStore({ inner: state.runs, blobs: s3.blobs, tempDir: join(dir, `tmp-${tables}`) });
  return { inner: state.runs, store: open(), reopen: open };
}

describeRunStateStoreContract('OffloadingRunStateStore over DynamoDB and S3', async () => (await cloudStores()).store);

describe('large outputs on DynamoDB and S3', () => {
  it('records a 500 KiB output, which DynamoDB alone refuses, with a small event item', async () => {
    const { inner, store, reopen } = await cloudStores();
    const { runId } = await store.create(newRun());
    const result = `${'Agent transcript line — ünïcode ✓\n'.repeat(16_000)}`.slice(0, 500 * 1024);
    const event = finished('write-tests', { result, num_turns: 12 });
    await expect(inner.appendEvents(runId, 0, [event])).rejects.toMatchObject({ code: 'state_item_too_large' });

    await store.appendEvents(runId, 0, [event]);
    const raw = (await inner.readEvents(runId))[0]?.event;
    expect(Buffer.byteLength(JSON.stringify(raw), 'utf8')).toBeLessThan(2 * 1024);
    const digest = createHash('sha256').update(result, 'utf8').digest('hex');
    expect(await s3.blobs.has(digest)).toBe(true);
    expect(await reopen().readEvents(runId)).toEqual([{ seq: 1, event }]);
  });

  it('a finishing update from the decoded record keeps the run record small on DynamoDB', async () => {
    const { inner, store, reopen } = await cloudStores();
    const v1 = await store.create(newRun());
    const report = 'r'.repeat(400 * 1024);
    const v2 = await store.update(v1, { outputs: { report } });
    // DynamoDB's update merges `current` into the item it writes: `current` must not carry the full value.
    const v3 = await store.update(v2, { status: 'succeeded', finishedAt: 9_000 });
    expect(v3.outputs).toEqual({ report });
    expect(Buffer.byteLength(JSON.stringify(await inner.get(v1.runId)), 'utf8')).toBeLessThan(2 * 1024);
    expect(await reopen().get(v1.runId)).toEqual(v3);
  });
});
