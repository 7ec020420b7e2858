import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { StepJob, StepReport } from '@flowline/ports';

import { type RedisServer, startRedis } from '../../test-servers/src/redis.js';
import { stepJobId } from './job-id.js';
import { Inbox, aborted, deferred, stepJob, succeeded } from './test-support/queue-fixtures.js';
import { FAST_STALLS, QueueHarness } from './test-support/queue-harness.js';

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

/** A dispatcher whose reports land in an inbox, handled one at a time so they arrive in order. */
async function setUp(): Promise<{
  h: QueueHarness;
  dispatcher: Awaited<ReturnType<QueueHarness['dispatcher']>>;
  reports: Inbox<StepReport>;
}> {
  const h = (harness = new QueueHarness(redis.url));
  const dispatcher = await h.dispatcher({ reportConcurrency: 1 });
  const reports = new Inbox<StepReport>();
  dispatcher.consumeReports((report) => {
    reports.push(report);
    return Promise.resolve();
  });
  return { h, dispatcher, reports };
}

describe('BullmqStepConsumer', () => {
  it('reports a throwing handler as a failed attempt, and BullMQ never runs the job again', async () => {
    const { h, dispatcher, reports } = await setUp();
    const consumer = await h.consumer({ workerId: 'w-bug' });
    const deliveries = new Inbox<StepJob>();
    consumer.consume(['shell'], 1, async (job) => {
      deliveries.push(job);
      if (job.runId === 'broken') throw new Error('store unreachable');
      await consumer.report(succeeded(job));
    });
    const broken = stepJob({ runId: 'broken' });
    await dispatcher.enqueue(broken);
    const failure = await reports.next();
    expect(failure).toMatchObject({
      job: broken,
      worker: 'w-bug',
      outcome: { ok: false, error: { code: 'worker_error', message: 'store unreachable', retryable: true } },
    });
    expect(failure.finishedAt).toBeGreaterThanOrEqual(failure.startedAt);
    // The next job is the next delivery: the broken one did not come back.
    await dispatcher.enqueue(stepJob({ runId: 'fine' }));
    expect((await reports.next()).job.runId).toBe('fine');
    expect(deliveries.seen.map((job) => job.runId)).toEqual(['broken', 'fine']);
    // The report can arrive before BullMQ marks the job that sent it completed: wait for that, bounded.
    const deadline = Date.now() + 5_000;
    while ((await dispatcher.depths())['shell']?.completed !== 1 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await dispatcher.depths())['shell']).toMatchObject({ failed: 1, completed: 1, prioritized: 0 });
    expect(h.logEntries).toContainEqual(expect.objectContaining({ level: 'error', jobId: stepJobId(broken) }));
  });

  it('does not report again for a handler that threw after reporting', async () => {
    const { h, dispatcher, reports } = await setUp();
    const consumer = await h.consumer();
    consumer.consume(['shell'], 1, async (job) => {
      await consumer.report(succeeded(job));
      if (job.runId === 'a') throw new Error('cleanup failed');
    });
    await dispatcher.enqueue(stepJob({ runId: 'a' }));
    await dispatcher.enqueue(stepJob({ runId: 'b' }));
    const [first, second] = await reports.take(2);
    expect(first).toEqual(succeeded(stepJob({ runId: 'a' })));
    expect(second!.job.runId).toBe('b');
  });

  it('aborts the signal when the lock is lost, drops that delivery’s report, and the job comes back', async () => {
    const { h, dispatcher, reports } = await setUp();
    const consumer = await h.consumer({ ...FAST_STALLS });
    const reasons = new Inbox<unknown>();
    let deliveries = 0;
    consumer.consume(['shell'], 1, async (job, signal) => {
      deliveries += 1;
      if (deliveries === 1) {
        reasons.push(await aborted(signal));
        await consumer.report({ ...succeeded(job), worker: 'lost' });
        return;
      }
      await consumer.report({ ...succeeded(job), worker: 'second' });
    });
    const job = stepJob();
    await dispatcher.enqueue(job);
    // Lose the lock as a worker frozen past its lock duration would: its key is gone.
    while ((await redis.command(`DEL ${h.prefix}:shell:${stepJobId(job)}:lock`)) === 0) {
      await redis.command('PING');
    }
    expect(await reasons.next()).toMatchObject({ code: 'lock_lost' });
    const report = await reports.next();
    expect(report.worker).toBe('second');
    expect(deliveries).toBe(2);
    expect(h.logEntries).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/^dropped a report/) }),
    );
  });

  it('close waits for running handlers, which complete their jobs', async () => {
    const { h, dispatcher, reports } = await setUp();
    const consumer = await h.consumer();
    const started = new Inbox<StepJob>();
    const release = deferred();
    const events: string[] = [];
    consumer.consume(['shell'], 1, async (job, signal) => {
      started.push(job);
      await release.promise;
      events.push(`handler done, aborted=${signal.aborted}`);
      await consumer.report(succeeded(job));
    });
    await dispatcher.enqueue(stepJob());
    await started.next();
    const closed = consumer.close().then(() => events.push('closed'));
    // Round trips to Redis while the handler still holds its job: close must not resolve meanwhile.
    for (let i = 0; i < 5; i++) await dispatcher.depths();
    events.push('released');
    release.resolve();
    await closed;
    expect(events).toEqual(['released', 'handler done, aborted=false', 'closed']);
    expect((await reports.next()).outcome.ok).toBe(true);
    expect((await dispatcher.depths())['shell']).toMatchObject({ active: 0, completed: 1 });
  });

  it('close with force aborts handlers and hands their jobs back at once, not after a stall', async () => {
    const { h, dispatcher, reports } = await setUp();
    const slowStalls = { lockDurationMs: 60_000, stallIntervalMs: 60_000 };
    const first = await h.consumer({ ...slowStalls, workerId: 'first' });
    const started = new Inbox<StepJob>();
    const reasons = new Inbox<unknown>();
    first.consume(['shell'], 1, async (job, signal) => {
      started.push(job);
      reasons.push(await aborted(signal));
      await first.report({ ...succeeded(job), worker: 'first' });
    });
    await dispatcher.enqueue(stepJob());
    await started.next();
    await first.close({ force: true });
    expect(await reasons.next()).toMatchObject({ code: 'handed_back' });
    expect((await dispatcher.depths())['shell']).toMatchObject({ active: 0, prioritized: 1 });
    const second = await h.consumer({ ...slowStalls, workerId: 'second' });
    second.consume(['shell'], 1, (job) => second.report({ ...succeeded(job), worker: 'second' }));
    expect((await reports.next()).worker).toBe('second');
  });

  it('a forced close escalates a graceful one in progress', async () => {
    const { h, dispatcher } = await setUp();
    const consumer = await h.consumer();
    const started = new Inbox<StepJob>();
    consumer.consume(['shell'], 1, async (_job, signal) => {
      started.push(_job);
      await aborted(signal);
    });
    await dispatcher.enqueue(stepJob());
    await started.next();
    const graceful = consumer.close();
    await consumer.close({ force: true });
    await graceful;
    expect((await dispatcher.depths())['shell']).toMatchObject({ active: 0, prioritized: 1 });
  });

  it('runs up to `concurrency` jobs of each step type it consumes', async () => {
    const { h, dispatcher } = await setUp();
    const consumer = await h.consumer();
    const started = new Inbox<StepJob>();
    const release = deferred();
    consumer.consume(['shell', 'assert'], 2, async (job) => {
      started.push(job);
      await release.promise;
    });
    for (const runId of ['s1', 's2', 's3']) await dispatcher.enqueue(stepJob({ runId, stepType: 'shell' }));
    for (const runId of ['a1', 'a2']) await dispatcher.enqueue(stepJob({ runId, stepType: 'assert' }));
    const running = (await started.take(4)).map((job) => job.runId).sort();
    expect(running).toEqual(['a1', 'a2', 's1', 's2']);
    const depths = await dispatcher.depths();
    expect(depths['shell']).toMatchObject({ active: 2, prioritized: 1 });
    expect(depths['assert']).toMatchObject({ active: 2, prioritized: 0 });
    release.resolve();
    expect((await started.next()).runId).toBe('s3');
  });

  it('refuses a queue it already consumes, an unknown step type and a concurrency below 1', async () => {
    harness = new QueueHarness(redis.url);
    const consumer = await harness.consumer();
    const handle = () => Promise.resolve();
    consumer.consume(['shell'], 1, handle);
    expect(() => consumer.consume(['webhook', 'shell'], 1, handle)).toThrow(/already consuming the shell queue/);
    expect(() => consumer.consume(['conditional'], 1, handle)).toThrow(/no queue for step type "conditional"/);
    expect(() => consumer.consume(['webhook'], 0, handle)).toThrow(/positive integer/);
    await consumer.close();
    expect(() => consumer.consume(['webhook'], 1, handle)).toThrow(/closed/);
  });
});
