import { addAbortSignal, type Readable } from 'node:stream';

import { sha256Hex } from '@flowline/core';
import { type CacheEntry, decodeCacheEntry, encodeCacheEntry, type StepCache } from '@flowline/ports';

import { Cooldown } from './cooldown.js';
import type { KeyLayout } from './key-layout.js';
import type { ObjectStore } from './object-store.js';

export interface S3StepCacheOptions {
  /** An entry failed verification (bad digest, unparsable, wrong shape): it was a miss. */
  readonly onCorrupt?: (key: string, reason: string) => void;
  /** S3 failed (refused, timed out, 5xx, denied): a get was a miss, a put was dropped. */
  readonly onError?: (operation: 'get' | 'put', key: string, error: unknown) => void;
  /** Longest a lookup or a write may take, SDK retries included (default 2000). */
  readonly timeoutMs?: number;
  /** After a failure, skip S3 for this long: gets miss and puts are dropped unreported (default 5000; 0: never skip). */
  readonly cooldownMs?: number;
  /** The clock of the cool-down (default Date.now). */
  readonly clock?: () => number;
}

export const CACHE_DEFAULTS = { timeoutMs: 2000, cooldownMs: 5000 } as const;

/**
 * The step cache on S3, one object per entry at `<prefix>cache/<key>.json`,
 * carrying a digest of its own text that every read checks. Nothing here
 * fails a step: S3 down, slow or refusing is a miss on get and a dropped
 * write on put, each bounded by `timeoutMs` and reported through
 * `onError`; a corrupt entry is a miss reported through `onCorrupt`; an
 * expired one is a plain miss. A malformed key is a bug in the caller and
 * throws.
 */
export class S3StepCache implements StepCache {
  private readonly timeoutMs: number;
  private readonly cooldown: Cooldown;

  constructor(
    private readonly objects: ObjectStore,
    private readonly layout: KeyLayout,
    private readonly options: S3StepCacheOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? CACHE_DEFAULTS.timeoutMs;
    this.cooldown = new Cooldown(options.cooldownMs ?? CACHE_DEFAULTS.cooldownMs, options.clock ?? Date.now);
  }

  async get(key: string, now: number): Promise<CacheEntry | undefined> {
    const objectKey = this.layout.entry(key);
    if (!this.cooldown.allows()) return undefined;
    const text = await this.read(objectKey, key);
    if (text === undefined) return undefined;
    const decoded = decodeCacheEntry(text, key);
    if ('corrupt' in decoded) {
      // Left in place: the next put under this key replaces it, and a reader needs no delete permission.
      this.report(() => this.options.onCorrupt?.(key, decoded.corrupt));
      return undefined;
    }
    return decoded.entry.expiresAt <= now ? undefined : decoded.entry;
  }

  async put(entry: CacheEntry): Promise<void> {
    const objectKey = this.layout.entry(entry.key);
    if (!this.cooldown.allows()) return;
    const bytes = Buffer.from(encodeCacheEntry(entry), 'utf8');
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      await this.objects.put(objectKey, () => bytes, {
        length: bytes.length,
        sha256: sha256Hex(bytes),
        createOnly: false,
        signal,
      });
    } catch (error) {
      this.failed('put', entry.key, error);
    }
  }

  private async read(objectKey: string, key: string): Promise<string | undefined> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const body = await this.objects.get(objectKey, signal);
      return body === undefined ? undefined : await readText(addAbortSignal(signal, body));
    } catch (error) {
      this.failed('get', key, error);
      return undefined;
    }
  }

  private failed(operation: 'get' | 'put', key: string, error: unknown): void {
    this.cooldown.failed();
    this.report(() => this.options.onError?.(operation, key, error));
  }

  /** A throwing callback must not turn a miss into a failed step. */
  private report(callback: () => void): void {
    try {
      callback();
    } catch {
      // The callback's own bug; the cache's answer stands.
    }
  }
}

async function readText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
