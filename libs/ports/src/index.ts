export type { BlobStore } from './blob-store.js';
export { decodeCacheEntry, type DecodedCacheEntry, encodeCacheEntry } from './cache-entry-codec.js';
export {
  type DeadLetter,
  type DeadLetterFilter,
  type DeadLetterStore,
  isDeadLetterId,
  assertDeadLetterId,
} from './dead-letter-store.js';
export { type ChangeEntry, type ChangeSet, EMPTY_CHANGE_SET } from './change-set.js';
export {
  type RunRecord,
  type RunRecordStatus,
  type RunStateStore,
  type StepLogStore,
  type StoredEvent,
  VersionConflictError,
} from './run-store.js';
export type { CacheEntry, StepCache } from './step-cache.js';
export type { QueueDepth, StepConsumer, StepDispatcher, StepJob, StepReport } from './work-queue.js';
export type { RunAdmission } from './run-admission.js';
