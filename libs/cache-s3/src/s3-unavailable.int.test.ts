import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { cacheEntry, cacheKey } from '../../ports/src/test-support/fixtures.js';
import { type S3rverServer, startS3rver } from '../../test-servers/src/s3rver.js';
import { BUCKET, countCommands, optionsFor, useTempDirs } from './test-support/s3rver-fixture.js';
import { type S3StepCacheOptions } from './s3-step-cache.js';
import { S3Store } from './s3-store.js';

// Each test breaks a server of its own.
const tempDir = useTempDirs();
const servers: S3rverServer[] = [];
const stores: S3Store[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) store.destroy();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A server of its own, a store on it with one cache entry and one blob, and the reports. */
async function doomedStore(cacheOptions: S3StepCacheOptions = {}) {
  const server = await startS3rver({ buckets: [BUCKET] });
  servers.push(server);
  const store = await S3Store.create(optionsFor(server));
  stores.push(store);
  const errors: [string, string][] = [];
  const cache = store.stepCache({ onError: (operation, key) => errors.push([operation, key]), ...cacheOptions });
  const entry = cacheEntry(cacheKey('survivor'), { expiresAt: Number.MAX_SAFE_INTEGER });
  await cache.put(entry);
  const dir = await tempDir();
  await writeFile(join(dir, 'blob'), 'blob bytes');
  const { digest } = await store.blobs.putFile(join(dir, 'blob'));
  return { server, store, cache, entry, errors, dir, digest };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

describe('S3 unavailable', () => {
  it('killed: a cache get is a quick miss, a put does not throw; both are reported', async () => {
    const { server, cache, entry, errors } = await doomedStore({ cooldownMs: 0 });
    await server.kill();
    const get = await timed(() => cache.get(entry.key, 0));
    expect(get.value).toBeUndefined();
    expect(get.ms).toBeLessThan(2000);
    const put = await timed(() => cache.put(cacheEntry(cacheKey('lost'))));
    expect(put.ms).toBeLessThan(2000);
    expect(errors).toEqual([
      ['get', entry.key],
      ['put', cacheKey('lost')],
    ]);
  });

  it('killed: blob reads fail quickly with a retryable blob_store_failed, and work again after a restart', async () => {
    const { server, store, dir, digest } = await doomedStore();
    await server.kill();
    const failed = await timed(() => store.blobs.getFile(digest, join(dir, 'out'), 0o644).catch((e: unknown) => e));
    expect(failed.value).toMatchObject({ code: 'blob_store_failed', retryable: true });
    expect(failed.ms).toBeLessThan(2000);
    await expect(store.blobs.has(digest)).rejects.toMatchObject({ code: 'blob_store_failed', retryable: true });
    await server.restart();
    await store.blobs.getFile(digest, join(dir, 'out'), 0o644);
    expect(await store.blobs.has(digest)).toBe(true);
  });

  it('restarted: the cache hits again, with what was stored before the crash', async () => {
    const { server, cache, entry } = await doomedStore({ cooldownMs: 0 });
    await server.kill();
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    await server.restart();
    expect(await cache.get(entry.key, 0)).toEqual(entry);
  });

  it('hung (accepts connections, never answers): get and put give up after timeoutMs', async () => {
    const { server, cache, entry, errors } = await doomedStore({ timeoutMs: 300, cooldownMs: 0 });
    server.pause();
    const get = await timed(() => cache.get(entry.key, 0));
    const put = await timed(() => cache.put(cacheEntry(cacheKey('stuck'))));
    server.resume();
    expect(get.value).toBeUndefined();
    expect(get.ms).toBeGreaterThanOrEqual(250);
    expect(get.ms).toBeLessThan(1500);
    expect(put.ms).toBeLessThan(1500);
    expect(errors.map(([operation]) => operation)).toEqual(['get', 'put']);
    expect(await cache.get(entry.key, 0)).toEqual(entry);
  });

  it('after a failure the cache stops asking for cooldownMs, then tries again', async () => {
    let now = 1_000_000;
    const { server, store, cache, entry, errors } = await doomedStore({ cooldownMs: 10_000, clock: () => now });
    const commands = countCommands(store.client);
    await server.kill();
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    expect(commands.get('GetObjectCommand')).toBe(1);
    await server.restart();
    // Still cooling down: no request, no report, even though S3 is back.
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    await cache.put(cacheEntry(cacheKey('skipped')));
    expect(Object.fromEntries(commands)).toEqual({ GetObjectCommand: 1 });
    expect(errors).toHaveLength(1);
    now += 10_000;
    expect(await cache.get(entry.key, 0)).toEqual(entry);
  });
});
