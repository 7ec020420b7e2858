import { describe, expect, test } from '@jest/globals';

import { formatBytes, formatDuration, parseDuration, parseSize } from './units.js';

describe('parseDuration', () => {
  test.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['0s', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(['10', '10 minutes', '1w', '-1s', 's', '', '1.s', '99999999999999d'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test('formatDuration is the inverse for whole units', () => {
    for (const text of ['1m30s', '2h', '7d', '250ms', '1d1h1m1s1ms']) {
      expect(formatDuration(parseDuration(text)!)).toBe(text);
    }
  });
});

describe('parseSize', () => {
  test.each([
    ['512MiB', 512 * 1024 ** 2],
    ['2GiB', 2 * 1024 ** 3],
    ['100KB', 100_000],
    ['1.5KiB', 1536],
    ['0B', 0],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  test.each(['2G', '2 GiB', 'GiB', '1gib', '99999999999TiB'])('rejects %j', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });

  test('formatBytes', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytes(12)).toBe('12 B');
  });
});
