export { describeBlobStoreContract } from './blob-store-contract.js';
export { describeDeadLetterStoreContract } from './dead-letter-store-contract.js';
export { describeRunStateStoreContract } from './run-state-store-contract.js';
export { describeStepCacheContract } from './step-cache-contract.js';
export {
  type Factory,
  cacheEntry,
  cacheKey,
  deadLetter,
  deadLetterId,
  finished,
  newRun,
  started,
  uniqueRunId,
} from './fixtures.js';
