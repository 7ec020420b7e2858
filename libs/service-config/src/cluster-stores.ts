import type { BlobStore, DeadLetterStore, RunStateStore, StepCache, StepLogStore } from '@flowline/ports';

/**
 * The durable stores a coordinator or worker uses, opened from its
 * configuration (file stores, or DynamoDB and S3). The queue is not here:
 * it is Redis, opened by each service for its own side.
 */
export interface ClusterStores {
  readonly runs: RunStateStore;
  readonly logs: StepLogStore;
  readonly deadLetters: DeadLetterStore;
  /** Workflow bundles and change sets (content-addressed). */
  readonly blobs: BlobStore;
  /** Undefined when caching is off (`FLOWLINE_CACHE=none`). */
  readonly cache: StepCache | undefined;
  /** Resolves when the state store answers; for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
