import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, link, mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { FlowlineError } from '@flowline/core';
import type { BlobStore } from '@flowline/ports';

import { checkDigest } from './key-layout.js';
import { removeQuietly, streamToNewFile, writeVerified } from './verified-write.js';

const BLOB_MODE = 0o644;

/**
 * Content-addressed bytes in a local directory, `<dir>/ab/<digest>`: the
 * worker's snapshot cache under CachingBlobStore. Nothing is fsync'd (it
 * is a cache; S3 holds the real copy) and nothing needs to be: every read
 * is hashed, and a damaged copy is removed and reported as `blob_corrupt`.
 */
export class LocalBlobStore implements BlobStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async putFile(path: string): Promise<{ readonly digest: string; readonly size: number }> {
    const temp = await this.incomingPath();
    try {
      const stored = await streamToNewFile(createReadStream(path), temp, BLOB_MODE);
      await this.adopt(temp, stored.digest);
      return stored;
    } finally {
      await removeQuietly(temp);
    }
  }

  async getFile(digest: string, path: string, mode: number): Promise<void> {
    const blob = this.pathOf(digest);
    const source = await this.openBlob(digest, blob);
    // Its modification time is its last use: prune() removes the least recently used first.
    const now = new Date();
    await utimes(blob, now, now).catch(() => undefined);
    const corrupt = (actual: string) =>
      new FlowlineError('blob_corrupt', `blob ${digest} is corrupt: its bytes hash to ${actual} (${blob})`, {
        details: { digest, actual, path: blob },
      });
    try {
      await writeVerified(source, path, mode, digest, { mismatch: (actual) => corrupt(actual.digest) });
    } catch (error) {
      // A damaged copy is worthless; removing it lets the next fetch replace it.
      if (hasCode(error, 'blob_corrupt')) await removeQuietly(blob);
      throw error;
    }
  }

  async has(digest: string): Promise<boolean> {
    try {
      await access(this.pathOf(digest));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Removes the least recently used blobs until the rest take at most
   * `maxBytes`; returns what was removed. Safe while others read: a reader
   * that loses its blob to a prune sees `blob_missing`, and
   * CachingBlobStore fetches it again.
   */
  async prune(maxBytes: number): Promise<{ readonly removed: number; readonly bytes: number }> {
    const blobs = await this.list();
    let total = blobs.reduce((sum, blob) => sum + blob.size, 0);
    let removed = 0;
    let bytes = 0;
    for (const blob of blobs.sort((a, b) => a.usedAt - b.usedAt)) {
      if (total <= maxBytes) break;
      await unlink(blob.path).catch(() => undefined);
      total -= blob.size;
      bytes += blob.size;
      removed += 1;
    }
    return { removed, bytes };
  }

  /** Where the blob `digest` lives. */
  pathOf(digest: string): string {
    checkDigest(digest);
    return join(this.dir, digest.slice(0, 2), digest.slice(2));
  }

  /** A fresh path in `incoming/`, on the same filesystem as the blobs, for a file `adopt` will take in. */
  async incomingPath(): Promise<string> {
    const incoming = join(this.dir, 'incoming');
    await mkdir(incoming, { recursive: true });
    return join(incoming, `${process.pid}.${randomBytes(6).toString('hex')}`);
  }

  /**
   * Links `temp`, whose bytes hash to `digest`, in under its digest. A copy
   * already there is kept unless its size shows damage. `temp` stays; the
   * caller removes it.
   */
  async adopt(temp: string, digest: string): Promise<void> {
    const blob = this.pathOf(digest);
    await mkdir(dirname(blob), { recursive: true });
    try {
      await link(temp, blob);
    } catch (error) {
      if (!hasCode(error, 'EEXIST')) throw error;
      if ((await stat(blob)).size !== (await stat(temp)).size) await rename(temp, blob);
    }
  }

  private async list(): Promise<{ path: string; size: number; usedAt: number }[]> {
    const found: { path: string; size: number; usedAt: number }[] = [];
    for (const shard of await readdir(this.dir).catch(() => [])) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.dir, shard)).catch(() => [])) {
        const path = join(this.dir, shard, name);
        const info = await stat(path).catch(() => undefined);
        if (info?.isFile() === true) found.push({ path, size: info.size, usedAt: info.mtimeMs });
      }
    }
    return found;
  }

  private async openBlob(digest: string, blob: string) {
    try {
      const handle = await open(blob, 'r');
      return handle.createReadStream();
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) throw error;
      throw new FlowlineError('blob_missing', `blob ${digest} is not in the store (${blob})`, {
        details: { digest, path: blob },
      });
    }
  }
}

/** Whether `error` carries this `code` (a system error's ENOENT, a FlowlineError's code); duck-typed, realm-safe. */
export function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
