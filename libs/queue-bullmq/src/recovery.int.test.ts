import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { StepJob, StepReport } from '@flowline/ports';

import { type RedisServer, startRedis } from '../../test-servers/src/redis.js';
import { stepJobId } from './job-id.js';
import { type QueueChild, startQueueChild } from './test-support/child-process.js';
import { Inbox, stepJob, succeeded } from './test-support/queue-fixtures.js';
import { FAST_STALLS, QueueHarness } from './test-support/queue-harness.js';

let redis: RedisServer;
let harness: QueueHarness;
const children: QueueChild[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  for (const child of children.splice(0)) await child.kill();
  await harness.closeAll();
});

async function child(role: 'consumer' | 'reports', config: string): Promise<QueueChild> {
  const started = await startQueueChild(role, config);
  children.push(started);
  return started;
}

/** A consumer of `shell` that reports every job it takes as succeeded. */
async function reportingConsumer(h: QueueHarness, options: Parameters<QueueHarness['consumer']>[0] = {}) {
  const consumer = await h.consumer({ ...FAST_STALLS, ...options });
  const taken = new Inbox<StepJob>();
  consumer.consume(['shell'], 1, async (job) => {
    taken.push(job);
    await consumer.report(succeeded(job));
  });
  return taken;
}

function collect(dispatcher: { consumeReports(handle: (report: StepReport) => Promise<void>): void }) {
  const reports = new Inbox<StepReport>();
  dispatcher.consumeReports((report) => {
    reports.push(report);
    return Promise.resolve();
  });
  return reports;
}

describe('recovery from crashes', () => {
  it('delivers the job of a worker killed with SIGKILL to another worker', async () => {
    const h = (harness = new QueueHarness(redis.url));
    const reports = collect(await h.dispatcher());
    const dispatcher = await h.dispatcher();
    const doomed = await child('consumer', h.childConfig(FAST_STALLS));
    const job = stepJob({ key: { step: 'agent' }, stepType: 'shell' });
    await dispatcher.enqueue(job);
    expect(await doomed.next()).toBe(`took ${stepJobId(job)}`);
    await doomed.kill();
    const taken = await reportingConsumer(h);
    expect(await taken.next()).toEqual(job);
    expect((await reports.next()).job).toEqual(job);
    expect((await dispatcher.depths())['shell']).toMatchObject({ active: 0, prioritized: 0, completed: 1 });
  });

  it('reports an attempt whose workers died more often than the stall limit as worker_lost', async () => {
    const h = (harness = new QueueHarness(redis.url));
    const dispatcher = await h.dispatcher();
    const reports = collect(dispatcher);
    const doomed = await child('consumer', h.childConfig({ ...FAST_STALLS, maxStalledCount: 0 }));
    const job = stepJob();
    await dispatcher.enqueue(job);
    await doomed.next();
    await doomed.kill();
    const taken = await reportingConsumer(h, { maxStalledCount: 0, workerId: 'survivor' });
    const report = await reports.next();
    expect(report).toMatchObject({
      job,
      worker: 'survivor',
      outcome: { ok: false, error: { code: 'worker_lost', retryable: true } },
    });
    expect(taken.seen).toEqual([]);
    expect((await dispatcher.depths())['shell']).toMatchObject({ active: 0, failed: 1 });
  });

  it('delivers a report again when its handler throws', async () => {
    const h = (harness = new QueueHarness(redis.url));
    const dispatcher = await h.dispatcher();
    const deliveries = new Inbox<StepReport>();
    dispatcher.consumeReports((report) => {
      deliveries.push(report);
      if (deliveries.seen.length === 1) return Promise.reject(new Error('state store unavailable'));
      return Promise.resolve();
    });
    const consumer = await h.consumer();
    const report = succeeded(stepJob());
    await consumer.report(report);
    expect(await deliveries.take(2)).toEqual([report, report]);
    expect(h.logEntries).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/report handler failed/) }),
    );
  });

  it('delivers a report again when the coordinator handling it is killed', async () => {
    const h = (harness = new QueueHarness(redis.url));
    const fastReports = {
      reportLockDurationMs: FAST_STALLS.lockDurationMs,
      stallIntervalMs: FAST_STALLS.stallIntervalMs,
    };
    const doomed = await child('reports', h.childConfig(fastReports));
    const consumer = await h.consumer();
    const report = succeeded(stepJob({ runId: 'r-7', attempt: 3 }));
    await consumer.report(report);
    expect(await doomed.next()).toBe('handling r-7 3');
    await doomed.kill();
    const reports = collect(await h.dispatcher(fastReports));
    expect(await reports.next()).toEqual(report);
  });
});

describe('a Redis restart', () => {
  let durable: RedisServer;

  beforeAll(async () => {
    durable = await startRedis({ appendOnly: true });
  });
  afterAll(async () => {
    await durable.stop();
  });

  it('(kill -9, AOF on) loses no enqueued job, and clients carry on after it', async () => {
    const h = (harness = new QueueHarness(durable.url));
    const dispatcher = await h.dispatcher();
    const reports = collect(dispatcher);
    const consumer = await h.consumer();
    const jobs = Array.from({ length: 40 }, (_, i) => stepJob({ runId: `r${i}`, priority: 1 + (i % 10) }));
    for (const [i, job] of jobs.slice(0, 20).entries())
      await dispatcher.enqueue(job, { delayMs: i % 2 === 0 ? 0 : 50 });
    await durable.kill();
    await durable.restart();
    expect((await durable.command('DBSIZE')) as number).toBeGreaterThan(20);
    for (const job of jobs.slice(20)) await dispatcher.enqueue(job);
    const taken = new Inbox<StepJob>();
    consumer.consume(['shell'], 4, async (job) => {
      taken.push(job);
      await consumer.report(succeeded(job));
    });
    const reported = await reports.take(jobs.length);
    expect(new Set(reported.map((report) => report.job.runId))).toEqual(new Set(jobs.map((job) => job.runId)));
    expect(taken.seen).toHaveLength(jobs.length);
    expect((await dispatcher.depths())['shell']).toMatchObject({
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
      completed: jobs.length,
    });
  }, 30_000);
});
