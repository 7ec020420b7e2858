import { describe, expect, it } from '@jest/globals';
import { sha256Hex } from '@flowline/core';

import { decodeCacheEntry, encodeCacheEntry } from './cache-entry-codec.js';
import { cacheEntry, cacheKey } from './test-support/fixtures.js';

const key = cacheKey('codec');
const entry = cacheEntry(key);

/** Stored text around `body` with a correct digest, to reach the checks behind the digest. */
function framed(body: string): string {
  return `{"sha256":"${sha256Hex(body)}","entry":${body}}\n`;
}

describe('cache entry codec', () => {
  it('round-trips an entry, and the text is JSON carrying the digest of the entry text', () => {
    const text = encodeCacheEntry(entry);
    expect(decodeCacheEntry(text, key)).toEqual({ entry });
    const parsed = JSON.parse(text) as { sha256: string; entry: unknown };
    expect(parsed).toEqual({ sha256: sha256Hex(JSON.stringify(entry)), entry });
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('a flipped byte in the entry text is a digest mismatch', () => {
    const text = encodeCacheEntry(entry).replace('exit_code', 'exit_codf');
    expect(decodeCacheEntry(text, key)).toEqual({ corrupt: 'digest mismatch' });
  });

  it.each([
    ['truncated text', (text: string) => text.slice(0, text.length / 2)],
    ['a missing final newline', (text: string) => text.trimEnd()],
    ['reordered fields', () => JSON.stringify({ entry, sha256: 'x' }) + '\n'],
    ['empty text', () => ''],
  ])('%s is not a cache entry', (_name, damage) => {
    expect(decodeCacheEntry(damage(encodeCacheEntry(entry)), key)).toEqual({ corrupt: 'not a cache entry' });
  });

  it('an entry text that does not parse is reported as such', () => {
    expect(decodeCacheEntry(framed('{"key":'), key)).toEqual({ corrupt: 'unparsable entry' });
  });

  it("another key's entry is refused, naming that key", () => {
    const other = cacheKey('other');
    expect(decodeCacheEntry(encodeCacheEntry(cacheEntry(other)), key)).toEqual({
      corrupt: `entry is for key ${other}`,
    });
  });

  it.each([
    ['entry is not an object', [entry]],
    ['stepType is missing', { ...entry, stepType: 7 }],
    ['outputs is not an object', { ...entry, outputs: ['x'] }],
    ['changes is not a change set', { ...entry, changes: { entries: 'none' } }],
    ['times are missing', { ...entry, expiresAt: null }],
    ['times are missing', { ...entry, createdAt: '1' }],
  ])('a wrong shape is refused: %s', (problem, value) => {
    expect(decodeCacheEntry(framed(JSON.stringify(value)), key)).toEqual({ corrupt: problem });
  });
});
