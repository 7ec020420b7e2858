import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { ValidationError } from '@flowline/core';
import { type CacheEntry, decodeCacheEntry, encodeCacheEntry, type StepCache } from '@flowline/ports';

import { replaceFile } from './atomic-file.js';
import { hasCode, removeQuietly } from './fs-helpers.js';

export interface FsStepCacheOptions {
  /** An entry failed verification (bad digest, unparsable, wrong shape); it was a miss and has been removed. */
  readonly onCorrupt?: (key: string, reason: string) => void;
  /** The file system failed; a get was a miss, a put was dropped. */
  readonly onError?: (operation: 'get' | 'put' | 'prune', key: string, error: unknown) => void;
}

const KEY = /^[0-9a-f]{16,128}$/;

/**
 * The embedded step cache: one file per entry under
 * `<stateDir>/cache/entries/ab/<key>.json`. Entries carry a digest of their
 * own text and are verified on every read. Nothing here fails a step: a
 * corrupt, expired or unreadable entry is a miss, and a failed write is
 * dropped; both are reported through the options. A malformed key is a bug
 * in the caller and throws.
 */
export class FsStepCache implements StepCache {
  private readonly root: string;
  private readonly options: FsStepCacheOptions;

  constructor(stateDir: string, options: FsStepCacheOptions = {}) {
    this.root = join(resolve(stateDir), 'cache', 'entries');
    this.options = options;
  }

  async get(key: string, now: number): Promise<CacheEntry | undefined> {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) this.options.onError?.('get', key, error);
      return undefined;
    }
    const decoded = decodeCacheEntry(text, key);
    if ('corrupt' in decoded) {
      // Worth nothing now; removed so it is reported once, not on every lookup.
      await removeQuietly(path);
      this.options.onCorrupt?.(key, decoded.corrupt);
      return undefined;
    }
    return decoded.entry.expiresAt <= now ? undefined : decoded.entry;
  }

  async put(entry: CacheEntry): Promise<void> {
    const path = this.pathOf(entry.key);
    try {
      await mkdir(dirname(path), { recursive: true });
      // Not fsync'd: after a power loss an entry may be lost or torn, and a torn one fails verification.
      await replaceFile(path, encodeCacheEntry(entry), { durable: false });
    } catch (error) {
      this.options.onError?.('put', entry.key, error);
    }
  }

  /** Removes entries that expired at or before `now` and any that fail verification; returns how many. */
  async prune(now: number): Promise<number> {
    let removed = 0;
    for (const shard of await listOrEmpty(this.root)) {
      for (const name of await listOrEmpty(join(this.root, shard))) {
        const key = name.replace(/\.json$/, '');
        if (!KEY.test(key) || !name.endsWith('.json')) continue;
        if (await this.pruneOne(key, now)) removed++;
      }
    }
    return removed;
  }

  /** Where the entry `key` lives. */
  pathOf(key: string): string {
    if (!KEY.test(key)) {
      throw new ValidationError('invalid_cache_key', `cache key ${JSON.stringify(key)} is not lowercase hex`, { key });
    }
    return join(this.root, key.slice(0, 2), `${key}.json`);
  }

  private async pruneOne(key: string, now: number): Promise<boolean> {
    const path = this.pathOf(key);
    try {
      const decoded = decodeCacheEntry(await readFile(path, 'utf8'), key);
      if ('entry' in decoded && decoded.entry.expiresAt > now) return false;
      await unlink(path);
      return true;
    } catch (error) {
      if (!hasCode(error, 'ENOENT')) this.options.onError?.('prune', key, error);
      return false;
    }
  }
}

async function listOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return [];
    throw error;
  }
}
