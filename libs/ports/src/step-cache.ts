import type { ChangeSet } from './change-set.js';

/** A step's successful result, kept so an identical step can skip its work. */
export interface CacheEntry {
  readonly key: string;
  readonly stepType: string;
  readonly outputs: Readonly<Record<string, unknown>>;
  /** The workspace changes to re-apply on a hit; their bytes are in the BlobStore. */
  readonly changes: ChangeSet;
  readonly createdAt: number;
  /** Absolute expiry (epoch ms): an entry read after it is a miss. */
  readonly expiresAt: number;
}

/**
 * The step cache (DESIGN §2 "Cache"). A store that fails must read as a miss
 * and a failed write must be ignored: the cache never fails a step. Entries
 * are verified on read; a corrupt one is a miss (and reported through
 * `onCorrupt`), never an error.
 */
export interface StepCache {
  get(key: string, now: number): Promise<CacheEntry | undefined>;
  put(entry: CacheEntry): Promise<void>;
}
