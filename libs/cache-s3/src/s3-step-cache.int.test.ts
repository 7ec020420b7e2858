import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';

import { cacheEntry, cacheKey } from '../../ports/src/test-support/fixtures.js';
import { BUCKET, countCommands, useS3rver } from './test-support/s3rver-fixture.js';
import { type S3StepCacheOptions } from './s3-step-cache.js';
import { type S3Store } from './s3-store.js';

const s3 = useS3rver();

/** A cache whose reports are recorded, with one entry already stored. */
async function cacheWithEntry(options: S3StepCacheOptions = {}, storeOverrides = {}) {
  const store = await s3.store(storeOverrides);
  const corrupt: [string, string][] = [];
  const errors: [string, string][] = [];
  const cache = store.stepCache({
    onCorrupt: (key, reason) => corrupt.push([key, reason]),
    onError: (operation, key) => errors.push([operation, key]),
    ...options,
  });
  const entry = cacheEntry(cacheKey('stored'));
  await cache.put(entry);
  return { store, cache, entry, objectKey: store.keyOf({ cacheEntry: entry.key }), corrupt, errors };
}

async function readObject(store: S3Store, key: string): Promise<Buffer> {
  const object = await store.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}

async function writeObject(store: S3Store, key: string, body: Uint8Array | string): Promise<void> {
  await store.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

describe('S3StepCache on s3rver', () => {
  it('stores an entry at <prefix>cache/<key>.json, as JSON carrying the digest of its text', async () => {
    const { store, entry, objectKey, errors } = await cacheWithEntry();
    expect(objectKey).toMatch(new RegExp(`^t\\d+/cache/${entry.key}\\.json$`));
    const stored = JSON.parse((await readObject(store, objectKey)).toString('utf8')) as {
      sha256: string;
      entry: unknown;
    };
    expect(stored.entry).toEqual(entry);
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(errors).toEqual([]);
  });

  it('a flipped byte is a miss reported through onCorrupt', async () => {
    const { store, cache, entry, objectKey, corrupt, errors } = await cacheWithEntry();
    const bytes = await readObject(store, objectKey);
    const at = bytes.indexOf('exit_code');
    bytes[at] = bytes[at]! ^ 0x01;
    await writeObject(store, objectKey, bytes);
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    expect(corrupt).toEqual([[entry.key, 'digest mismatch']]);
    expect(errors).toEqual([]);
  });

  it('a truncated object is a miss reported through onCorrupt', async () => {
    const { store, cache, entry, objectKey, corrupt } = await cacheWithEntry();
    const bytes = await readObject(store, objectKey);
    await writeObject(store, objectKey, bytes.subarray(0, bytes.length / 2));
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    expect(corrupt).toEqual([[entry.key, 'not a cache entry']]);
  });

  it("another key's entry copied into place is a miss reported through onCorrupt", async () => {
    const { store, cache, objectKey, corrupt } = await cacheWithEntry();
    const other = cacheKey('other');
    await writeObject(store, store.keyOf({ cacheEntry: other }), await readObject(store, objectKey));
    expect(await cache.get(other, 0)).toBeUndefined();
    expect(corrupt[0]?.[1]).toMatch(/entry is for key/);
  });

  it('a corrupt entry is replaced by the next put', async () => {
    const { store, cache, entry, objectKey } = await cacheWithEntry();
    await writeObject(store, objectKey, 'garbage');
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    await cache.put(entry);
    expect(await cache.get(entry.key, 0)).toEqual(entry);
  });

  it('an expired entry is a plain miss: no report', async () => {
    const { cache, entry, corrupt, errors } = await cacheWithEntry();
    expect(await cache.get(entry.key, entry.expiresAt)).toBeUndefined();
    expect([corrupt, errors]).toEqual([[], []]);
  });

  it('a bucket that does not exist: get is a miss and put is dropped, both reported through onError', async () => {
    const store = await s3.store({ bucket: 'no-such-bucket' });
    const errors: string[] = [];
    const cache = store.stepCache({ onError: (operation, key) => errors.push(`${operation} ${key}`), cooldownMs: 0 });
    const entry = cacheEntry(cacheKey('nowhere'));
    await expect(cache.put(entry)).resolves.toBeUndefined();
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    expect(errors).toEqual([`put ${entry.key}`, `get ${entry.key}`]);
  });

  it('a callback that throws does not turn a miss into an error', async () => {
    const store = await s3.store({ bucket: 'no-such-bucket' });
    const cache = store.stepCache({
      onError: () => {
        throw new Error('a bug in the callback');
      },
    });
    await expect(cache.get(cacheKey('x'), 0)).resolves.toBeUndefined();
  });

  it('refuses keys that are not lowercase hex, before any request', async () => {
    const store = await s3.store();
    const commands = countCommands(store.client);
    const cache = store.stepCache();
    for (const key of ['../../etc/passwd', 'ABCDEF0123456789', 'abc', '']) {
      await expect(cache.get(key, 0)).rejects.toMatchObject({ code: 'invalid_cache_key' });
      await expect(cache.put(cacheEntry(key))).rejects.toMatchObject({ code: 'invalid_cache_key' });
    }
    expect(commands.size).toBe(0);
  });
});
