export { CachingBlobStore } from './caching-blob-store.js';
export { LocalBlobStore } from './local-blob-store.js';
export { type S3ConnectionOptions, CONNECTION_DEFAULTS } from './s3-client.js';
export { S3BlobStore } from './s3-blob-store.js';
export { CACHE_DEFAULTS, S3StepCache, type S3StepCacheOptions } from './s3-step-cache.js';
export { S3Store, type S3StoreOptions } from './s3-store.js';
