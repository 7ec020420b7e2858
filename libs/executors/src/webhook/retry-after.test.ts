import { describe, expect, it } from '@jest/globals';

import { MAX_RETRY_AFTER_MS, parseRetryAfter } from './retry-after.js';

const now = Date.parse('2025-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, a past one as 0', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });

  it('caps what the server asks for at an hour', () => {
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('ignores an absent or malformed value', () => {
    for (const value of [undefined, '', '-1', '1.5', 'soon', '2025-01-01', 'Wed, 99 Foo 2025']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});
