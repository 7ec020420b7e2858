import { describe, expect, it } from '@jest/globals';

import { hashTag } from './redis-client.js';
import {
  REPORT_ATTEMPTS,
  REPORT_BACKOFF,
  STEP_JOB_RETENTION,
  bullPriority,
  reportDelayMs,
  reportJobOptions,
  stepJobOptions,
} from './job-options.js';
import { stepJob } from './test-support/queue-fixtures.js';

describe('bullPriority', () => {
  it('turns the run priority around: 10 is served first (BullMQ 1), 1 last (BullMQ 10)', () => {
    expect([10, 9, 5, 1].map(bullPriority)).toEqual([1, 2, 6, 10]);
  });

  it('refuses anything but an integer from 1 to 10 (0 would mean "no priority" to BullMQ)', () => {
    for (const bad of [0, 11, 2.5, Number.NaN]) expect(() => bullPriority(bad)).toThrow(/integer from 1 to 10/);
  });
});

describe('stepJobOptions', () => {
  it('sets identity, priority, delay, one attempt and retention', () => {
    expect(stepJobOptions(stepJob({ priority: 8 }), 1_500.2, STEP_JOB_RETENTION)).toEqual({
      jobId: 'run-1|build|1',
      priority: 3,
      delay: 1_501,
      attempts: 1,
      removeOnComplete: { age: 3_600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
    });
  });

  it('leaves out a delay that is absent or not positive', () => {
    expect(stepJobOptions(stepJob(), undefined, STEP_JOB_RETENTION)).not.toHaveProperty('delay');
    expect(stepJobOptions(stepJob(), 0, STEP_JOB_RETENTION)).not.toHaveProperty('delay');
  });
});

describe('reports', () => {
  it('are retried with the report backoff, practically forever', () => {
    const options = reportJobOptions(STEP_JOB_RETENTION);
    expect(options).toMatchObject({ attempts: REPORT_ATTEMPTS, backoff: { type: REPORT_BACKOFF } });
    expect(options).not.toHaveProperty('jobId');
  });

  it('back off doubling from delayMs up to maxDelayMs', () => {
    const retry = { delayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 50].map((n) => reportDelayMs(retry, n))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });
});

describe('hashTag', () => {
  it('is what Redis Cluster hashes by: between the first "{" and the next "}", when not empty', () => {
    expect(hashTag('{flowline}')).toBe('flowline');
    expect(hashTag('app:{flowline}:x')).toBe('flowline');
    expect(hashTag('{a}{b}')).toBe('a');
    expect(hashTag('{}{b}')).toBeUndefined();
    expect(hashTag('flowline')).toBeUndefined();
    expect(hashTag('{flowline')).toBeUndefined();
  });
});
