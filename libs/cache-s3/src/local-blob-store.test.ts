import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { describeBlobStoreContract } from '../../ports/src/test-support/blob-store-contract.js';
import { LocalBlobStore } from './local-blob-store.js';

const dirs: string[] = [];
async function newDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'flowline-local-blobs-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describeBlobStoreContract('LocalBlobStore', async () => new LocalBlobStore(await newDir()));

/** Three 100-byte blobs, last used at t = 1000 s, 2000 s and 3000 s. */
async function threeBlobs() {
  const dir = await newDir();
  const store = new LocalBlobStore(join(dir, 'blobs'));
  const digests: string[] = [];
  for (const [n, usedAt] of [
    ['a', 1000],
    ['b', 2000],
    ['c', 3000],
  ] as const) {
    await writeFile(join(dir, n), n.repeat(100));
    const { digest } = await store.putFile(join(dir, n));
    await utimes(store.pathOf(digest), usedAt, usedAt);
    digests.push(digest);
  }
  return { dir, store, digests };
}

describe('LocalBlobStore.prune', () => {
  it('removes the least recently used blobs until the rest fit, and reading a blob counts as using it', async () => {
    const { dir, store, digests } = await threeBlobs();
    const [a, b, c] = digests as [string, string, string];
    await store.getFile(a, join(dir, 'out'), 0o644); // a is now the most recently used
    expect(await store.prune(200)).toEqual({ removed: 1, bytes: 100 });
    expect([await store.has(a), await store.has(b), await store.has(c)]).toEqual([true, false, true]);
    expect(await store.prune(0)).toEqual({ removed: 2, bytes: 200 });
    expect(await store.has(a)).toBe(false);
  });

  it('removes nothing when everything fits, and copes with a directory never written', async () => {
    const { store } = await threeBlobs();
    expect(await store.prune(300)).toEqual({ removed: 0, bytes: 0 });
    expect(await new LocalBlobStore(join(await newDir(), 'never')).prune(0)).toEqual({ removed: 0, bytes: 0 });
  });

  it('a damaged copy is reported as blob_corrupt and removed', async () => {
    const { dir, store, digests } = await threeBlobs();
    const digest = digests[0]!;
    await writeFile(store.pathOf(digest), 'A'.repeat(100));
    await expect(store.getFile(digest, join(dir, 'out'), 0o644)).rejects.toMatchObject({ code: 'blob_corrupt' });
    expect(await store.has(digest)).toBe(false);
    await expect(readFile(join(dir, 'out'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
