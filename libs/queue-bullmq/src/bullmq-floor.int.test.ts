import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type RedisServer, startRedis } from '../../test-servers/src/redis.js';
import { measureBullmqFloor } from './bullmq-floor.js';

describe('measureBullmqFloor: bare BullMQ throughput, the cluster benchmark’s floor', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  it('runs every job through the workers, times it, and leaves no key behind', async () => {
    const result = await measureBullmqFloor({
      redisUrl: redis.url,
      prefix: '{floor-test}',
      jobs: 2_500,
      workers: 2,
      concurrency: 4,
      batch: 1_000,
    });
    expect(result.jobs).toBe(2_500);
    expect(result.ms).toBeGreaterThan(0);
    expect(result.jobsPerSecond).toBeCloseTo((2_500 / result.ms) * 1000);
    // Completed jobs were counted as they finished, and nothing is left queued or kept.
    expect(await redis.command('KEYS {floor-test}*')).toEqual([]);
  });
});
