import { describe, expect, test } from '@jest/globals';
import type { RetryPolicy } from '@flowline/workflow';

import { retryDelayMs, stableRandom } from './backoff.js';

const policy = (backoff: RetryPolicy['backoff'], jitter = false): RetryPolicy => ({
  maxAttempts: 10,
  backoff,
  initialDelayMs: 1000,
  maxDelayMs: 10_000,
  jitter,
});

describe('retryDelayMs', () => {
  test.each([
    ['exponential', [1000, 2000, 4000, 8000, 10_000, 10_000]],
    ['linear', [1000, 2000, 3000, 4000, 5000, 6000]],
    ['fixed', [1000, 1000, 1000, 1000, 1000, 1000]],
  ] as const)('%s, before attempts 2..7, capped at max_delay', (backoff, expected) => {
    expect([2, 3, 4, 5, 6, 7].map((next) => retryDelayMs(policy(backoff), next, 0.5))).toEqual(expected);
  });

  test('full jitter scales the capped delay by the random draw', () => {
    expect(retryDelayMs(policy('exponential', true), 3, 0.25)).toBe(500);
    expect(retryDelayMs(policy('exponential', true), 9, 0.5)).toBe(5000);
    expect(retryDelayMs(policy('exponential', true), 3, 0)).toBe(0);
  });
});

describe('stableRandom', () => {
  test('the same text always gives the same number in [0, 1); different texts differ', () => {
    const texts = ['run-1/a/2', 'run-1/a/3', 'run-2/a/2'];
    const draws = texts.map((text) => stableRandom(text));
    expect(texts.map((text) => stableRandom(text))).toEqual(draws);
    for (const d of draws) expect(d >= 0 && d < 1).toBe(true);
    expect(new Set(draws).size).toBe(3);
  });

  test('spreads roughly evenly', () => {
    const draws = Array.from({ length: 10_000 }, (_, i) => stableRandom(`run/step/${i}`));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
