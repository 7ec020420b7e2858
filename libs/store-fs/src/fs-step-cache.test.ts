import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { cacheEntry, cacheKey } from '../../ports/src/test-support/fixtures.js';
import { describeStepCacheContract } from '../../ports/src/test-support/step-cache-contract.js';
import { FsStepCache, type FsStepCacheOptions } from './fs-step-cache.js';
import { tempDirs } from './test-support/temp-dirs.js';

const newDir = tempDirs('cache');

describeStepCacheContract('FsStepCache', async () => new FsStepCache(await newDir()));

/** A cache whose reports are recorded, with one entry already stored. */
async function cacheWithEntry() {
  const stateDir = await newDir();
  const corrupt: [string, string][] = [];
  const errors: [string, string][] = [];
  const options: FsStepCacheOptions = {
    onCorrupt: (key, reason) => corrupt.push([key, reason]),
    onError: (operation, key) => errors.push([operation, key]),
  };
  const cache = new FsStepCache(stateDir, options);
  const entry = cacheEntry(cacheKey('stored'));
  await cache.put(entry);
  return { stateDir, cache, entry, path: cache.pathOf(entry.key), corrupt, errors };
}

describe('FsStepCache on disk', () => {
  it('stores an entry at cache/entries/<first two hex digits>/<key>.json, as JSON carrying its digest', async () => {
    const { stateDir, entry, path } = await cacheWithEntry();
    expect(path).toBe(join(stateDir, 'cache', 'entries', entry.key.slice(0, 2), `${entry.key}.json`));
    const file = JSON.parse(await readFile(path, 'utf8')) as { sha256: string; entry: unknown };
    expect(file.entry).toEqual(entry);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readdir(join(path, '..'))).toEqual([`${entry.key}.json`]); // no temp files left
  });

  it('a flipped byte is a miss, reported through onCorrupt, and the entry is removed', async () => {
    const { cache, entry, path, corrupt } = await cacheWithEntry();
    const bytes = await readFile(path);
    const at = bytes.indexOf('exit_code');
    bytes[at] = bytes[at]! ^ 0x01;
    await writeFile(path, bytes);
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    expect(corrupt).toEqual([[entry.key, 'digest mismatch']]);
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a truncated file is a miss reported through onCorrupt', async () => {
    const { cache, entry, path, corrupt } = await cacheWithEntry();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.slice(0, text.length / 2));
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    expect(corrupt).toEqual([[entry.key, 'not a cache entry']]);
  });

  it("another key's entry copied into place is a miss reported through onCorrupt", async () => {
    const { cache, path, corrupt } = await cacheWithEntry();
    const other = cacheKey('other');
    await mkdir(join(cache.pathOf(other), '..'), { recursive: true });
    await writeFile(cache.pathOf(other), await readFile(path));
    expect(await cache.get(other, 0)).toBeUndefined();
    expect(corrupt[0]?.[1]).toMatch(/entry is for key/);
  });

  it('a read error is a miss reported through onError', async () => {
    const { cache, entry, path, errors } = await cacheWithEntry();
    await rm(path);
    await mkdir(path); // reading a directory fails with EISDIR, even as root
    expect(await cache.get(entry.key, 0)).toBeUndefined();
    expect(errors).toEqual([['get', entry.key]]);
  });

  it('a write error is swallowed and reported through onError', async () => {
    const stateDir = await newDir();
    const errors: string[] = [];
    await mkdir(join(stateDir, 'cache'), { recursive: true });
    await writeFile(join(stateDir, 'cache', 'entries'), 'a file where the directory should be');
    const cache = new FsStepCache(stateDir, { onError: (operation, key) => errors.push(`${operation} ${key}`) });
    const entry = cacheEntry(cacheKey('unwritable'));
    await expect(cache.put(entry)).resolves.toBeUndefined();
    expect(errors).toEqual([`put ${entry.key}`]);
    expect(await cache.get(entry.key, 0)).toBeUndefined();
  });

  it('refuses keys that are not lowercase hex', async () => {
    const cache = new FsStepCache(await newDir());
    for (const key of ['../../etc/passwd', 'ABCDEF0123456789', 'abc', '']) {
      await expect(cache.get(key, 0)).rejects.toMatchObject({ code: 'invalid_cache_key' });
      await expect(cache.put(cacheEntry(key))).rejects.toMatchObject({ code: 'invalid_cache_key' });
    }
  });

  it('prune removes expired and corrupt entries and keeps live ones', async () => {
    const { cache, path } = await cacheWithEntry(); // expires at 10_000
    const live = cacheEntry(cacheKey('live'), { expiresAt: 50_000 });
    const damaged = cacheEntry(cacheKey('damaged'), { expiresAt: 50_000 });
    await cache.put(live);
    await cache.put(damaged);
    await writeFile(cache.pathOf(damaged.key), 'garbage');
    expect(await cache.prune(20_000)).toBe(2);
    await expect(readFile(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await cache.get(live.key, 20_000)).toEqual(live);
  });
});
