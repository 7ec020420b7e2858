import { sha256Hex } from '@flowline/core';

import type { CacheEntry } from './step-cache.js';

/**
 * A cache entry as stored: `{"sha256":"<digest of the entry text>","entry":<entry>}`.
 * Every StepCache adapter stores this same text (a file for store-fs, an
 * object for cache-s3), so an entry can be copied between them. The digest
 * covers the exact bytes of the entry text, which sit at a fixed offset:
 * checking needs no re-serialisation, and the object stays JSON (`jq .entry`
 * works).
 */
const HEAD = '{"sha256":"';
const MIDDLE = '","entry":';
const TAIL = '}\n';
const BODY_START = HEAD.length + 64 + MIDDLE.length;

/** A decoded entry, or why the text is not one (the reason adapters hand to `onCorrupt`). */
export type DecodedCacheEntry = { readonly entry: CacheEntry } | { readonly corrupt: string };

export function encodeCacheEntry(entry: CacheEntry): string {
  const body = JSON.stringify(entry);
  return `${HEAD}${sha256Hex(body)}${MIDDLE}${body}${TAIL}`;
}

/** The entry stored under `key`, or why the text is not one. */
export function decodeCacheEntry(text: string, key: string): DecodedCacheEntry {
  if (!text.startsWith(HEAD) || text.slice(BODY_START - MIDDLE.length, BODY_START) !== MIDDLE || !text.endsWith(TAIL)) {
    return { corrupt: 'not a cache entry' };
  }
  const body = text.slice(BODY_START, text.length - TAIL.length);
  if (sha256Hex(body) !== text.slice(HEAD.length, HEAD.length + 64)) return { corrupt: 'digest mismatch' };
  let entry: unknown;
  try {
    entry = JSON.parse(body);
  } catch {
    return { corrupt: 'unparsable entry' };
  }
  const problem = shapeProblem(entry, key);
  return problem === undefined ? { entry: entry as CacheEntry } : { corrupt: problem };
}

function shapeProblem(value: unknown, key: string): string | undefined {
  if (!isObject(value)) return 'entry is not an object';
  if (value['key'] !== key) return `entry is for key ${String(value['key'])}`;
  if (typeof value['stepType'] !== 'string') return 'stepType is missing';
  if (!isObject(value['outputs'])) return 'outputs is not an object';
  if (!isObject(value['changes']) || !Array.isArray(value['changes']['entries'])) return 'changes is not a change set';
  if (!Number.isFinite(value['createdAt']) || !Number.isFinite(value['expiresAt'])) return 'times are missing';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
