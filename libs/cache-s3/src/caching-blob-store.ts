import { type BlobStore } from '@flowline/ports';

import { checkDigest } from './key-layout.js';
import { type LocalBlobStore, hasCode } from './local-blob-store.js';
import { removeQuietly } from './verified-write.js';

/**
 * A BlobStore (S3) with a local copy of every blob it has seen, kept by
 * digest: a worker downloads each blob once, however many steps restore
 * it, and a blob it stored itself is never downloaded at all. Concurrent
 * reads of one missing blob share one download. The local copies are
 * checked on every read like the remote ones; a damaged local copy is
 * dropped and fetched again. `has` asks the remote store: a blob only this
 * worker holds is not stored as far as other workers are concerned.
 */
export class CachingBlobStore implements BlobStore {
  private readonly downloads = new Map<string, Promise<void>>();
  /**
   * Digests this process has stored remotely. Blobs are create-only and
   * content-addressed, so storing one again can be skipped: a coordinator
   * taking the same workflow bundle for run after run does not upload it
   * each time, and keeps accepting those runs while S3 is down.
   */
  private readonly uploaded = new Set<string>();

  constructor(
    private readonly remote: BlobStore,
    readonly local: LocalBlobStore,
  ) {}

  async putFile(path: string): Promise<{ readonly digest: string; readonly size: number }> {
    // The local copy is taken first and uploaded from: bytes that cannot change under us.
    const stored = await this.local.putFile(path);
    if (this.uploaded.has(stored.digest)) return stored;
    await this.remote.putFile(this.local.pathOf(stored.digest));
    this.uploaded.add(stored.digest);
    return stored;
  }

  async getFile(digest: string, path: string, mode: number): Promise<void> {
    checkDigest(digest);
    if (!(await this.local.has(digest))) await this.fetch(digest);
    try {
      await this.local.getFile(digest, path, mode);
    } catch (error) {
      // Damaged (and now removed) or removed by a prune since the check: fetch it once more.
      if (!hasCode(error, 'blob_corrupt') && !hasCode(error, 'blob_missing')) throw error;
      await this.fetch(digest);
      await this.local.getFile(digest, path, mode);
    }
  }

  has(digest: string): Promise<boolean> {
    return this.remote.has(digest);
  }

  private fetch(digest: string): Promise<void> {
    let pending = this.downloads.get(digest);
    if (pending === undefined) {
      pending = this.download(digest).finally(() => this.downloads.delete(digest));
      this.downloads.set(digest, pending);
    }
    return pending;
  }

  private async download(digest: string): Promise<void> {
    const temp = await this.local.incomingPath();
    try {
      await this.remote.getFile(digest, temp, 0o644);
      await this.local.adopt(temp, digest);
    } finally {
      await removeQuietly(temp);
    }
  }
}
