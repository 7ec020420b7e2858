export { FileRunStateStore, type FileRunStateStoreOptions } from './file-run-state-store.js';
export { FileStepLogStore } from './file-step-log-store.js';
export { FsDeadLetterStore } from './fs-dead-letter-store.js';
export { FsBlobStore, type FsBlobStoreOptions } from './fs-blob-store.js';
export { FsStepCache, type FsStepCacheOptions } from './fs-step-cache.js';
export { assertRunId, encodeStepKey, isRunId } from './state-layout.js';
