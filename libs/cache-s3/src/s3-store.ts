import { type S3Client } from '@aws-sdk/client-s3';

import { CachingBlobStore } from './caching-blob-store.js';
import { KeyLayout } from './key-layout.js';
import { LocalBlobStore } from './local-blob-store.js';
import { ensureBucket } from './s3-bucket.js';
import { type S3ConnectionOptions, createS3Client, maxConcurrentRequests } from './s3-client.js';
import { S3BlobStore } from './s3-blob-store.js';
import { S3ObjectStore } from './s3-object-store.js';
import { S3StepCache, type S3StepCacheOptions } from './s3-step-cache.js';

export interface S3StoreOptions extends S3ConnectionOptions {
  readonly bucket: string;
  /** Put everything under this key prefix (`flowline/` → `flowline/blobs/…`, `flowline/cache/…`); default none. */
  readonly prefix?: string;
  /** Send `If-None-Match: *` on create-only writes (default true); off for S3-compatible servers that refuse it. */
  readonly conditionalWrites?: boolean;
  /** Create the bucket at start unless it exists (tests, development). */
  readonly createBucket?: boolean;
}

/**
 * One bucket holding the step cache and the blobs (change sets, workspace
 * snapshots, large outputs), through one SDK client. Configuration arrives
 * as options; nothing here reads the environment.
 */
export class S3Store {
  readonly blobs: S3BlobStore;
  private readonly objects: S3ObjectStore;
  private readonly layout: KeyLayout;

  private constructor(
    /** The SDK client, for callers that add middleware (metrics, tests counting requests). */
    readonly client: S3Client,
    readonly bucket: string,
    options: S3StoreOptions,
  ) {
    this.layout = new KeyLayout(options.prefix);
    this.objects = new S3ObjectStore({
      client,
      bucket,
      maxConcurrentRequests: maxConcurrentRequests(options),
      ...(options.conditionalWrites === undefined ? {} : { conditionalWrites: options.conditionalWrites }),
    });
    this.blobs = new S3BlobStore(this.objects, this.layout);
  }

  /** Validates the options and builds the client; with `createBucket`, also makes sure the bucket exists. */
  static async create(options: S3StoreOptions): Promise<S3Store> {
    const store = new S3Store(createS3Client(options), options.bucket, options);
    if (options.createBucket === true) await store.ensureBucket();
    return store;
  }

  /** A step cache over this bucket; each has its own callbacks and cool-down. */
  stepCache(options: S3StepCacheOptions = {}): S3StepCache {
    return new S3StepCache(this.objects, this.layout, options);
  }

  /** The blobs with a local copy of each under `dir`: a worker downloads a blob once. */
  cachingBlobs(dir: string): CachingBlobStore {
    return new CachingBlobStore(this.blobs, new LocalBlobStore(dir));
  }

  /** Creates the bucket unless it exists. */
  ensureBucket(): Promise<void> {
    return ensureBucket(this.client, this.bucket);
  }

  /** The S3 key of a blob or a cache entry, for tools and tests. */
  keyOf(what: { readonly blob: string } | { readonly cacheEntry: string }): string {
    return 'blob' in what ? this.layout.blob(what.blob) : this.layout.entry(what.cacheEntry);
  }

  /** Closes the client's idle connections. */
  destroy(): void {
    this.client.destroy();
  }
}
