import { assertNever } from '@flowline/core';
import type { RetryPolicy } from '@flowline/workflow';

/**
 * The delay before attempt `next` (2 or more). Exponential doubles from
 * `initialDelayMs`, linear adds it, fixed repeats it; all are capped at
 * `maxDelayMs`. With jitter, the delay is drawn uniformly from [0, delay]
 * ("full jitter"), so retries of many runs spread out instead of arriving
 * together. `random` is in [0, 1): the caller makes it deterministic.
 */
export function retryDelayMs(policy: RetryPolicy, next: number, random: number): number {
  const step = Math.max(1, next - 1);
  let delay: number;
  switch (policy.backoff) {
    case 'exponential':
      delay = policy.initialDelayMs * 2 ** (step - 1);
      break;
    case 'linear':
      delay = policy.initialDelayMs * step;
      break;
    case 'fixed':
      delay = policy.initialDelayMs;
      break;
    default:
      return assertNever(policy.backoff, 'backoff');
  }
  const capped = Math.min(delay, policy.maxDelayMs);
  return policy.jitter ? Math.floor(capped * random) : capped;
}

/**
 * A number in [0, 1) fixed by the text (FNV-1a), so the same run, step and
 * attempt always wait the same time: the scheduler stays deterministic.
 */
export function stableRandom(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}
