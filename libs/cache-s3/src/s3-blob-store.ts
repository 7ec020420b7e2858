import { createReadStream } from 'node:fs';

import { FlowlineError } from '@flowline/core';
import type { BlobStore } from '@flowline/ports';

import type { KeyLayout } from './key-layout.js';
import type { ObjectStore } from './object-store.js';
import { describeS3Error, isTransient } from './s3-errors.js';
import { hashFile, writeVerified } from './verified-write.js';

/**
 * Content-addressed file bytes in S3 at `<prefix>blobs/sha256/ab/<digest>`.
 * Writes are create-only: a blob already there (same digest, same bytes) is
 * not sent again, and on S3 `If-None-Match: *` makes two concurrent writers
 * store it once. Reads are hashed on the way to disk and land only when the
 * digest matches. Unlike the step cache, a failure here throws: a blob is
 * data a step needs, not an optimisation (`retryable` says whether trying
 * again may help).
 */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly objects: ObjectStore,
    private readonly layout: KeyLayout,
  ) {}

  async putFile(path: string): Promise<{ readonly digest: string; readonly size: number }> {
    const { digest, size } = await hashFile(path);
    const key = this.layout.blob(digest);
    await this.attempt('put', digest, key, async () => {
      const existing = await this.objects.head(key);
      // A same-size object is these bytes. A different size is a torn write (s3rver writes in place): replace it.
      if (existing?.size === size) return;
      const createOnly = existing === undefined;
      await this.objects.put(key, () => createReadStream(path), { length: size, sha256: digest, createOnly });
    });
    return { digest, size };
  }

  async getFile(digest: string, path: string, mode: number): Promise<void> {
    const key = this.layout.blob(digest);
    const body = await this.attempt('get', digest, key, () => this.objects.get(key));
    if (body === undefined) {
      throw new FlowlineError('blob_missing', `blob ${digest} is not in the store (${this.objects.locate(key)})`, {
        details: { digest, location: this.objects.locate(key) },
      });
    }
    await writeVerified(body, path, mode, digest, {
      mismatch: (actual) => this.corrupt(digest, key, actual.digest),
      // The connection failing mid-body is S3's failure; a failing destination is reported as it is.
      source: (error) => this.failed('get', digest, key, error),
    });
  }

  async has(digest: string): Promise<boolean> {
    const key = this.layout.blob(digest);
    return (await this.attempt('head', digest, key, () => this.objects.head(key))) !== undefined;
  }

  /** Runs S3 requests; their failures become a FlowlineError naming the blob. */
  private async attempt<T>(operation: string, digest: string, key: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw this.failed(operation, digest, key, error);
    }
  }

  private failed(operation: string, digest: string, key: string, error: unknown): FlowlineError {
    const location = this.objects.locate(key);
    return new FlowlineError(
      'blob_store_failed',
      `blob ${operation} of ${location} failed: ${describeS3Error(error)}`,
      {
        retryable: isTransient(error),
        details: { digest, location, operation },
        cause: error,
      },
    );
  }

  private corrupt(digest: string, key: string, actual: string): FlowlineError {
    const location = this.objects.locate(key);
    // Not deleted: on a server whose writes are not atomic (s3rver) this may be a concurrent writer's half-written copy.
    return new FlowlineError(
      'blob_corrupt',
      `blob ${digest} is corrupt: its bytes hash to ${actual} (${location}); delete the object and store it again`,
      { details: { digest, actual, location } },
    );
  }
}
