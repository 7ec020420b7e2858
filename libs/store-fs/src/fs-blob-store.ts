import { randomBytes } from 'node:crypto';
import { access, link, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { FlowlineError, ValidationError } from '@flowline/core';
import type { BlobStore } from '@flowline/ports';

import { syncDirectory, tempPathFor } from './atomic-file.js';
import { hasCode, removeQuietly } from './fs-helpers.js';
import { copyHashing } from './hashing-copy.js';

export interface FsBlobStoreOptions {
  /** fsync each blob and its directory before putFile returns (default true): a stored blob survives power loss. */
  readonly durable?: boolean;
}

const DIGEST = /^[0-9a-f]{64}$/;
const BLOB_MODE = 0o644;

/**
 * Content-addressed file bytes under `<stateDir>/cache/blobs/ab/cdef…`
 * (the first two hex digits of the SHA-256 name a shard directory). Writes
 * are create-only; reads verify the digest before anything reaches the
 * destination, so a corrupt blob fails loudly and never lands.
 */
export class FsBlobStore implements BlobStore {
  private readonly root: string;
  private readonly durable: boolean;

  constructor(stateDir: string, options: FsBlobStoreOptions = {}) {
    this.root = join(resolve(stateDir), 'cache', 'blobs');
    this.durable = options.durable ?? true;
  }

  async putFile(path: string): Promise<{ readonly digest: string; readonly size: number }> {
    const incoming = join(this.root, 'incoming');
    await mkdir(incoming, { recursive: true });
    // The digest is known only after reading, so the copy waits in incoming/ (same filesystem: rename works).
    const temp = join(incoming, `${process.pid}.${randomBytes(6).toString('hex')}`);
    const source = await open(path, 'r');
    let stored: { readonly digest: string; readonly size: number };
    try {
      stored = await copyHashing(source, temp, { mode: BLOB_MODE, durable: this.durable });
    } finally {
      await source.close();
    }
    try {
      await this.publish(temp, stored.digest, stored.size);
    } finally {
      await removeQuietly(temp);
    }
    return stored;
  }

  async getFile(digest: string, path: string, mode: number): Promise<void> {
    const blob = this.pathOf(digest);
    const source = await this.openBlob(digest, blob);
    const temp = tempPathFor(path);
    let actual: string;
    try {
      actual = (await copyHashing(source, temp, { mode: mode & 0o7777, durable: false })).digest;
    } finally {
      await source.close();
    }
    if (actual !== digest) {
      await removeQuietly(temp);
      // A damaged blob is worthless; removing it lets the next putFile of these bytes store them again.
      await removeQuietly(blob);
      throw new FlowlineError('blob_corrupt', `blob ${digest} is corrupt: its bytes hash to ${actual} (${blob})`, {
        details: { digest, actual, path: blob },
      });
    }
    try {
      await rename(temp, path);
    } catch (error) {
      await removeQuietly(temp);
      throw error;
    }
  }

  async has(digest: string): Promise<boolean> {
    try {
      await access(this.pathOf(digest));
      return true;
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return false;
      throw error;
    }
  }

  /** Where the blob `digest` lives. */
  pathOf(digest: string): string {
    if (!DIGEST.test(digest)) {
      throw new ValidationError('invalid_digest', `${JSON.stringify(digest)} is not a SHA-256 hex digest`, { digest });
    }
    return join(this.root, digest.slice(0, 2), digest.slice(2));
  }

  /** Links the finished copy in under its digest, unless a blob is there already. */
  private async publish(temp: string, digest: string, size: number): Promise<void> {
    const blob = this.pathOf(digest);
    await mkdir(dirname(blob), { recursive: true });
    try {
      await link(temp, blob);
    } catch (error) {
      if (!hasCode(error, 'EEXIST')) throw error;
      // Same digest, same bytes: keep it. Unless its size shows damage; then replace it.
      if ((await stat(blob)).size === size) return;
      await rename(temp, blob);
    }
    if (this.durable) await syncDirectory(dirname(blob));
  }

  private async openBlob(digest: string, blob: string) {
    try {
      return await open(blob, 'r');
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) throw error;
      throw new FlowlineError('blob_missing', `blob ${digest} is not in the store (${blob})`, {
        details: { digest, path: blob },
      });
    }
  }
}
