import { createHash } from 'node:crypto';
import { readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { describeBlobStoreContract } from '../../ports/src/test-support/blob-store-contract.js';
import { FsBlobStore } from './fs-blob-store.js';
import { tempDirs } from './test-support/temp-dirs.js';

const newDir = tempDirs('blobs');

describeBlobStoreContract('FsBlobStore', async () => new FsBlobStore(await newDir()));
describeBlobStoreContract('FsBlobStore (not durable)', async () => new FsBlobStore(await newDir(), { durable: false }));

async function storeWithBlob(content = 'the original bytes\n') {
  const stateDir = await newDir();
  const store = new FsBlobStore(stateDir);
  const source = join(stateDir, 'source.txt');
  await writeFile(source, content);
  const { digest } = await store.putFile(source);
  return { stateDir, store, source, digest, blob: store.pathOf(digest) };
}

describe('FsBlobStore on disk', () => {
  it('stores a blob at cache/blobs/<first two hex digits>/<the rest>, with no temp files left', async () => {
    const { stateDir, digest, blob } = await storeWithBlob();
    expect(blob).toBe(join(stateDir, 'cache', 'blobs', digest.slice(0, 2), digest.slice(2)));
    expect(await readFile(blob, 'utf8')).toBe('the original bytes\n');
    expect(await readdir(join(stateDir, 'cache', 'blobs', 'incoming'))).toEqual([]);
  });

  it('a corrupt blob makes getFile throw blob_corrupt, and no destination file appears', async () => {
    const { stateDir, store, digest, blob } = await storeWithBlob();
    const bytes = await readFile(blob);
    bytes[3] = bytes[3]! ^ 0x20;
    await writeFile(blob, bytes);
    const out = join(stateDir, 'restored.txt');
    await expect(store.getFile(digest, out, 0o644)).rejects.toMatchObject({ code: 'blob_corrupt' });
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(stateDir)).sort()).toEqual(['cache', 'source.txt']); // no temp file either
  });

  it('a corrupt blob leaves an existing destination untouched', async () => {
    const { stateDir, store, digest, blob } = await storeWithBlob();
    await writeFile(blob, 'tampered');
    const out = join(stateDir, 'existing.txt');
    await writeFile(out, 'keep me');
    await expect(store.getFile(digest, out, 0o644)).rejects.toThrow(/corrupt/);
    expect(await readFile(out, 'utf8')).toBe('keep me');
  });

  it('a corrupt blob is dropped, so storing the bytes again repairs it', async () => {
    const { stateDir, store, source, digest, blob } = await storeWithBlob();
    await writeFile(blob, 'tampered');
    await expect(store.getFile(digest, join(stateDir, 'out'), 0o644)).rejects.toThrow(/corrupt/);
    expect(await store.has(digest)).toBe(false);
    await store.putFile(source);
    await store.getFile(digest, join(stateDir, 'out'), 0o644);
    expect(await readFile(join(stateDir, 'out'), 'utf8')).toBe('the original bytes\n');
  });

  it('a put over a blob of the wrong size (a torn write) replaces it', async () => {
    const { store, source, blob } = await storeWithBlob();
    await truncate(blob, 4);
    await store.putFile(source);
    expect(await readFile(blob, 'utf8')).toBe('the original bytes\n');
  });

  it('a put over an intact blob keeps the file that is there (create-only)', async () => {
    const { store, source, blob } = await storeWithBlob();
    const before = await stat(blob);
    await store.putFile(source);
    expect((await stat(blob)).ino).toBe(before.ino);
  });

  it('refuses a digest that is not SHA-256 hex, before touching the disk', async () => {
    const { store, stateDir } = await storeWithBlob();
    await expect(store.getFile('../../etc/passwd', join(stateDir, 'x'), 0o644)).rejects.toMatchObject({
      code: 'invalid_digest',
    });
    await expect(store.has('ABC')).rejects.toMatchObject({ code: 'invalid_digest' });
  });

  it('hashes what it copies: the digest is the SHA-256 of the source bytes', async () => {
    const content = 'x'.repeat(2 * 1024 * 1024 + 5);
    const { digest } = await storeWithBlob(content);
    expect(digest).toBe(createHash('sha256').update(content).digest('hex'));
  });
});
