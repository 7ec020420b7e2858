import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { BlobStore } from '../blob-store.js';
import type { Factory } from './fixtures.js';

/** What every BlobStore adapter must do (filesystem, S3…), given a factory of fresh, empty stores. */
export function describeBlobStoreContract(name: string, makeStore: Factory<BlobStore>): void {
  describe(`${name}: BlobStore contract`, () => {
    let dir = '';
    let files = 0;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'flowline-blob-contract-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    const fileWith = async (bytes: Uint8Array | string): Promise<string> => {
      const path = join(dir, `source-${files++}`);
      await writeFile(path, bytes);
      return path;
    };
    const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

    it('stores a file under its SHA-256 and gives the same bytes back', async () => {
      const store = await makeStore();
      const { digest, size } = await store.putFile(await fileWith('hello, blob\n'));
      expect({ digest, size }).toEqual({ digest: sha256('hello, blob\n'), size: 12 });
      const out = join(dir, 'out-round-trip');
      await store.getFile(digest, out, 0o644);
      expect(await readFile(out, 'utf8')).toBe('hello, blob\n');
    });

    it('has() is false before a put and true after', async () => {
      const store = await makeStore();
      const bytes = randomBytes(64);
      expect(await store.has(sha256(bytes))).toBe(false);
      await store.putFile(await fileWith(bytes));
      expect(await store.has(sha256(bytes))).toBe(true);
    });

    it('writes the file with exactly the mode asked for', async () => {
      const store = await makeStore();
      const { digest } = await store.putFile(await fileWith('#!/bin/sh\necho hi\n'));
      for (const mode of [0o755, 0o600, 0o644]) {
        const out = join(dir, `out-mode-${mode.toString(8)}`);
        await store.getFile(digest, out, mode);
        expect((await stat(out)).mode & 0o777).toBe(mode);
      }
    });

    it('replaces an existing destination file', async () => {
      const store = await makeStore();
      const { digest } = await store.putFile(await fileWith('new content'));
      const out = join(dir, 'out-replace');
      await writeFile(out, 'old content that is longer');
      await store.getFile(digest, out, 0o644);
      expect(await readFile(out, 'utf8')).toBe('new content');
    });

    it('storing the same bytes twice is idempotent', async () => {
      const store = await makeStore();
      const first = await store.putFile(await fileWith('same'));
      const second = await store.putFile(await fileWith('same'));
      expect(second).toEqual(first);
    });

    it('round-trips an empty file and a multi-megabyte one', async () => {
      const store = await makeStore();
      for (const bytes of [Buffer.alloc(0), randomBytes(3 * 1024 * 1024 + 17)]) {
        const { digest, size } = await store.putFile(await fileWith(bytes));
        expect(size).toBe(bytes.length);
        const out = join(dir, `out-size-${size}`);
        await store.getFile(digest, out, 0o644);
        expect(Buffer.compare(await readFile(out), bytes)).toBe(0);
      }
    });

    it('getFile of a digest not in the store rejects and creates nothing', async () => {
      const store = await makeStore();
      const out = join(dir, 'out-missing');
      await expect(store.getFile(sha256('never stored'), out, 0o644)).rejects.toThrow(/not in the store|missing/i);
      await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
}
