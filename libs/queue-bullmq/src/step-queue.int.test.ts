import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { StepJob, StepReport } from '@flowline/ports';

import { type RedisServer, startRedis } from '../../test-servers/src/redis.js';
import { stepJobId } from './job-id.js';
import { REPORTS_QUEUE } from './queue-names.js';
import { Inbox, deferred, stepJob, succeeded } from './test-support/queue-fixtures.js';
import { QueueHarness } from './test-support/queue-harness.js';

let redis: RedisServer;
let harness: QueueHarness;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await harness.closeAll();
});

function newHarness(): QueueHarness {
  harness = new QueueHarness(redis.url);
  return harness;
}

/** A consumer of `shell` with concurrency 1 whose handler records each job and completes it. */
async function recordingConsumer(h: QueueHarness): Promise<Inbox<StepJob>> {
  const consumer = await h.consumer();
  const taken = new Inbox<StepJob>();
  consumer.consume(['shell'], 1, (job) => {
    taken.push(job);
    return Promise.resolve();
  });
  return taken;
}

describe('BullMQ step queues', () => {
  it('carries a job to a consumer and its report back to the dispatcher, as plain JSON', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const consumer = await h.consumer();
    const reports = new Inbox<StepReport>();
    dispatcher.consumeReports((report) => {
      reports.push(report);
      return Promise.resolve();
    });
    const job = stepJob({ key: { step: 'build', item: 3 }, attempt: 2 });
    const signals: AbortSignal[] = [];
    consumer.consume(['shell'], 1, async (received, signal) => {
      signals.push(signal);
      await consumer.report(succeeded(received));
    });
    await dispatcher.enqueue(job);
    expect(await reports.next()).toEqual(succeeded(job));
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });

  it('queues the same attempt once, however often it is enqueued', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const first = stepJob({ runId: 'r-a' });
    await Promise.all([dispatcher.enqueue(first), dispatcher.enqueue(first)]);
    await dispatcher.enqueue(first);
    await dispatcher.enqueue(stepJob({ runId: 'r-b' }));
    expect((await dispatcher.depths())['shell']).toMatchObject({ prioritized: 2 });
    const taken = await recordingConsumer(h);
    // Same priority, so first in, first out: a second copy of r-a would come before r-b.
    expect((await taken.take(2)).map((job) => job.runId)).toEqual(['r-a', 'r-b']);
    await dispatcher.enqueue(first);
    expect((await dispatcher.depths())['shell']).toMatchObject({ prioritized: 0, completed: 2 });
  });

  it('does not deliver a delayed job before its delay', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const taken = await recordingConsumer(h);
    const enqueuedAt = Date.now();
    await dispatcher.enqueue(stepJob({ runId: 'later' }), { delayMs: 700 });
    await dispatcher.enqueue(stepJob({ runId: 'now' }));
    expect((await taken.next()).runId).toBe('now');
    expect((await dispatcher.depths())['shell']).toMatchObject({ delayed: 1 });
    expect((await taken.next()).runId).toBe('later');
    expect(Date.now() - enqueuedAt).toBeGreaterThanOrEqual(700);
  });

  it('serves waiting jobs by the run priority, highest first, first in first out within one', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const priorities = [1, 5, 10, 3, 5, 10];
    for (const [i, priority] of priorities.entries()) await dispatcher.enqueue(stepJob({ runId: `r${i}`, priority }));
    const taken = await recordingConsumer(h);
    const order = (await taken.take(priorities.length)).map((job) => `${job.runId}:${job.priority}`);
    expect(order).toEqual(['r2:10', 'r5:10', 'r1:5', 'r4:5', 'r3:3', 'r0:1']);
  });

  it('a delayed retry of an urgent run goes ahead of a less urgent run once due', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const due = Date.now() + 5;
    await dispatcher.enqueue(stepJob({ runId: 'urgent', priority: 9 }), { delayMs: 5 });
    await dispatcher.enqueue(stepJob({ runId: 'calm', priority: 2 }));
    // Let the delay pass before any worker looks: a worker promotes due jobs before taking the next.
    while (Date.now() <= due) await redis.command('PING');
    const taken = await recordingConsumer(h);
    expect((await taken.take(2)).map((job) => job.runId)).toEqual(['urgent', 'calm']);
  });

  it('withdraws waiting and delayed jobs, not running or finished ones', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const waiting = stepJob({ runId: 'waiting' });
    const delayed = stepJob({ runId: 'delayed' });
    await dispatcher.enqueue(waiting);
    await dispatcher.enqueue(delayed, { delayMs: 60_000 });
    expect(await dispatcher.withdraw(waiting)).toBe(true);
    expect(await dispatcher.withdraw(delayed)).toBe(true);
    expect(await dispatcher.withdraw(waiting)).toBe(false);
    expect(await dispatcher.withdraw(stepJob({ runId: 'never-queued' }))).toBe(false);
    expect((await dispatcher.depths())['shell']).toMatchObject({ prioritized: 0, delayed: 0 });

    const consumer = await h.consumer();
    const started = new Inbox<StepJob>();
    const release = deferred();
    consumer.consume(['shell'], 1, async (job) => {
      started.push(job);
      await release.promise;
    });
    const running = stepJob({ runId: 'running' });
    await dispatcher.enqueue(running);
    await started.next();
    expect(await dispatcher.withdraw(running)).toBe(false);
    release.resolve();
    // A withdrawn attempt can be queued again (a cancelled run is retried).
    await dispatcher.enqueue(waiting);
    expect((await started.next()).runId).toBe('waiting');
  });

  it('reports the depth of every step queue and of the reports queue, by state', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const consumer = await h.consumer();
    const hold = deferred();
    const started = new Inbox<StepJob>();
    consumer.consume(['assert'], 1, async (job) => {
      started.push(job);
      await hold.promise;
    });
    await dispatcher.enqueue(stepJob({ runId: 'a', stepType: 'shell' }));
    await dispatcher.enqueue(stepJob({ runId: 'b', stepType: 'shell' }));
    await dispatcher.enqueue(stepJob({ runId: 'c', stepType: 'claude_code' }), { delayMs: 60_000 });
    await dispatcher.enqueue(stepJob({ runId: 'd', stepType: 'assert' }));
    await started.next();
    await consumer.report(succeeded(stepJob()));
    const depths = await dispatcher.depths();
    expect(Object.keys(depths).sort()).toEqual([
      'assert',
      'claude_code',
      REPORTS_QUEUE,
      'shell',
      'template',
      'webhook',
    ]);
    expect(depths['shell']).toEqual({ waiting: 0, active: 0, delayed: 0, prioritized: 2, failed: 0, completed: 0 });
    expect(depths['claude_code']).toMatchObject({ delayed: 1 });
    expect(depths['assert']).toMatchObject({ active: 1, prioritized: 0 });
    expect(depths[REPORTS_QUEUE]).toMatchObject({ waiting: 1 });
    hold.resolve();
  });

  it('keeps every key under the hash-tagged prefix, ids free of ":"', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    const job = stepJob({ runId: 'run:with:colons', key: { step: 'fan', item: 0 } });
    await dispatcher.enqueue(job);
    expect(stepJobId(job)).toBe('run%3Awith%3Acolons|fan[0]|1');
    const keys = (await redis.command(`KEYS *`)) as string[];
    const ours = keys.filter((key) => key.startsWith(h.prefix));
    expect(ours).toContain(`${h.prefix}:shell:${stepJobId(job)}`);
    expect(keys.filter((key) => key.includes(stepJobId(job)) && !key.startsWith(h.prefix))).toEqual([]);
  });

  it('refuses an unknown step type and a priority outside 1..10', async () => {
    const h = newHarness();
    const dispatcher = await h.dispatcher();
    await expect(dispatcher.enqueue(stepJob({ stepType: 'conditional' }))).rejects.toMatchObject({
      code: 'unknown_step_queue',
    });
    await expect(dispatcher.enqueue(stepJob({ priority: 11 }))).rejects.toMatchObject({ code: 'invalid_priority' });
    expect((await dispatcher.depths())['shell']).toMatchObject({ prioritized: 0 });
  });
});

describe('connecting', () => {
  it('refuses a prefix without a hash tag', async () => {
    const h = newHarness();
    await expect(h.dispatcher({ prefix: 'flowline' })).rejects.toMatchObject({ code: 'invalid_queue_prefix' });
    await expect(h.consumer({ prefix: '{}flowline' })).rejects.toMatchObject({ code: 'invalid_queue_prefix' });
  });

  it('fails after connectTimeoutMs when Redis is down', async () => {
    const h = newHarness();
    const gone = await startRedis();
    await gone.stop();
    await expect(h.dispatcher({ redisUrl: gone.url, connectTimeoutMs: 300 })).rejects.toMatchObject({
      code: 'redis_unavailable',
      retryable: true,
    });
  });

  it('refuses a URL that is not redis://', async () => {
    const h = newHarness();
    await expect(h.consumer({ redisUrl: 'http://user:secret@localhost' })).rejects.toThrow(
      /redis:\/\/host:6379, not "http:\/\/user:\*\*\*@localhost/,
    );
  });
});

describe('on Redis Cluster', () => {
  let cluster: RedisServer;

  beforeAll(async () => {
    cluster = await startRedis({ cluster: true });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('works end to end: every script touches one slot, thanks to the hash-tagged prefix', async () => {
    const h = (harness = new QueueHarness(cluster.url, { cluster: true }));
    const dispatcher = await h.dispatcher();
    const reports = new Inbox<StepReport>();
    dispatcher.consumeReports((report) => {
      reports.push(report);
      return Promise.resolve();
    });
    const consumer = await h.consumer();
    consumer.consume(['shell', 'webhook'], 2, (job) => consumer.report(succeeded(job)));
    const jobs = [stepJob({ runId: 'now' }), stepJob({ runId: 'hook', stepType: 'webhook' })];
    await dispatcher.enqueue(stepJob({ runId: 'later' }), { delayMs: 50 });
    for (const job of jobs) await dispatcher.enqueue(job);
    const withdrawn = stepJob({ runId: 'withdrawn' });
    await dispatcher.enqueue(withdrawn, { delayMs: 60_000 });
    expect(await dispatcher.withdraw(withdrawn)).toBe(true);
    const runs = (await reports.take(3)).map((report) => report.job.runId).sort();
    expect(runs).toEqual(['hook', 'later', 'now']);
    expect((await dispatcher.depths())['shell']).toMatchObject({ completed: 2, delayed: 0 });
  }, 15_000);
});
