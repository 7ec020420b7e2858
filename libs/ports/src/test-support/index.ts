export { describeBlobStoreContract } from './blob-store-contract.js';
export { describeRunStateStoreContract } from './run-state-store-contract.js';
export { describeStepCacheContract } from './step-cache-contract.js';
export { type Factory, cacheEntry, cacheKey, finished, newRun, started, uniqueRunId } from './fixtures.js';
