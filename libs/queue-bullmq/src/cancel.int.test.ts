import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { StepJob, StepReport } from '@flowline/ports';

import { type RedisServer, startRedis } from '../../test-servers/src/redis.js';
import { Inbox, aborted, deferred, stepJob, succeeded } from './test-support/queue-fixtures.js';
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

interface Delivery {
  readonly job: StepJob;
  readonly signal: AbortSignal;
}

/** A dispatcher collecting reports, and `consumers` consumers whose handlers hold each job until its signal aborts or `release` resolves. */
async function setUp(h: QueueHarness, consumers: number) {
  const dispatcher = await h.dispatcher();
  const reports = new Inbox<StepReport>();
  dispatcher.consumeReports((report) => Promise.resolve(reports.push(report)));
  const deliveries = new Inbox<Delivery>();
  const release = deferred();
  for (let i = 0; i < consumers; i++) {
    const consumer = await h.consumer({ workerId: `w${i}` });
    consumer.consume(['shell', 'assert'], 2, async (job, signal) => {
      deliveries.push({ job, signal });
      await Promise.race([aborted(signal), release.promise]);
      const cancelled = { ok: false, error: { code: 'cancelled', message: 'cancelled', retryable: false } } as const;
      await consumer.report(
        signal.aborted ? { ...succeeded(job, `w${i}`), outcome: cancelled } : succeeded(job, `w${i}`),
      );
    });
  }
  return { dispatcher, reports, deliveries, release };
}

describe('cancelRunning', () => {
  it("aborts the run's running attempts with `cancelled`, leaves other runs alone, and their reports go out", async () => {
    const h = (harness = new QueueHarness(redis.url));
    const { dispatcher, reports, deliveries, release } = await setUp(h, 1);
    await dispatcher.enqueue(stepJob({ runId: 'doomed', stepType: 'shell' }));
    await dispatcher.enqueue(stepJob({ runId: 'doomed', key: { step: 'check' }, stepType: 'assert' }));
    await dispatcher.enqueue(stepJob({ runId: 'other', stepType: 'shell' }));
    const running = await deliveries.take(3);
    const byRun = (runId: string) => running.filter((d) => d.job.runId === runId);

    await dispatcher.cancelRunning('doomed');
    const reasons = await Promise.all(byRun('doomed').map((d) => aborted(d.signal)));
    expect(reasons).toEqual([
      expect.objectContaining({ code: 'cancelled', retryable: false }),
      expect.objectContaining({ code: 'cancelled', retryable: false }),
    ]);
    // One message aborts every job of the run in the same tick, so the other run's would be aborted by now too.
    expect(byRun('other')[0]!.signal.aborted).toBe(false);

    // A cancelled attempt's report is not dropped (unlike a handed-back one's), and its job completes.
    const cancelledReports = await reports.take(2);
    expect(cancelledReports.map((r) => [r.job.runId, r.outcome.ok])).toEqual([
      ['doomed', false],
      ['doomed', false],
    ]);
    release.resolve();
    expect((await reports.next()).job.runId).toBe('other');
    expect(byRun('other')[0]!.signal.aborted).toBe(false);
    await waitFor(async () => {
      const depths = await dispatcher.depths();
      return depths['shell']?.completed === 2 && depths['assert']?.completed === 1;
    });
    expect(h.logEntries.filter((e) => /dropped a report/.test(e.message))).toEqual([]);
  });

  it('reaches every consumer, and a cancel of a run nobody runs changes nothing', async () => {
    const h = (harness = new QueueHarness(redis.url));
    const { dispatcher, deliveries, release } = await setUp(h, 2);
    await dispatcher.cancelRunning('nobody-runs-this');
    // Four shell jobs with concurrency 2 per consumer: both consumers hold two.
    for (const step of ['a', 'b', 'c', 'd']) await dispatcher.enqueue(stepJob({ runId: 'wide', key: { step } }));
    const running = await deliveries.take(4);
    expect(running.every((d) => !d.signal.aborted)).toBe(true);
    await dispatcher.cancelRunning('wide');
    const reasons = await Promise.all(running.map((d) => aborted(d.signal)));
    expect(reasons.map((r) => (r as { code: string }).code)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    release.resolve();
  });

  it('does not reach consumers of another prefix', async () => {
    const h = (harness = new QueueHarness(redis.url));
    const { dispatcher, deliveries, release } = await setUp(h, 1);
    const stranger = new QueueHarness(redis.url);
    try {
      const otherDispatcher = await stranger.dispatcher();
      await dispatcher.enqueue(stepJob({ runId: 'shared-id' }));
      await dispatcher.enqueue(stepJob({ runId: 'marker' }));
      const running = await deliveries.take(2);
      const [shared, marker] = ['shared-id', 'marker'].map((id) => running.find((d) => d.job.runId === id)!);
      await otherDispatcher.cancelRunning('shared-id');
      // Redis delivers to one subscriber in publish order: once ours hears the marker, it would have heard the stranger.
      await dispatcher.cancelRunning('marker');
      expect(await aborted(marker!.signal)).toMatchObject({ code: 'cancelled' });
      expect(shared!.signal.aborted).toBe(false);
      await dispatcher.cancelRunning('shared-id');
      expect(await aborted(shared!.signal)).toMatchObject({ code: 'cancelled' });
    } finally {
      release.resolve();
      await stranger.closeAll();
    }
  });
});

describe('cancelRunning on a Redis Cluster node', () => {
  let cluster: RedisServer;
  beforeAll(async () => {
    cluster = await startRedis({ cluster: true });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('aborts the running attempt through a cluster client', async () => {
    const h = (harness = new QueueHarness(cluster.url, { cluster: true }));
    const { dispatcher, deliveries, release } = await setUp(h, 1);
    await dispatcher.enqueue(stepJob({ runId: 'clustered' }));
    const [running] = await deliveries.take(1);
    await dispatcher.cancelRunning('clustered');
    expect(await aborted(running!.signal)).toMatchObject({ code: 'cancelled' });
    release.resolve();
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
