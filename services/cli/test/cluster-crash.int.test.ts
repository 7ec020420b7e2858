import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { StoredEvent } from '@flowline/ports';
import { type DynamoDbState, openDynamoDbState } from '@flowline/state-dynamodb';
import { eventually, parentOf, processesWith } from '@flowline/test-servers';

import { type ClusterProcesses, type ServiceProcess, startClusterProcesses } from './support/cluster-processes.js';

/**
 * DESIGN §4 invariant 3, across processes: kill a worker, the coordinator
 * or Redis at a bad moment, or lose S3; the run completes, every step is
 * recorded exactly once, and nothing is left queued. Every part is its own
 * process (redis-server with AOF, dynalite, s3rver, `flowline serve`).
 */

/** `slow` runs long enough to be caught mid-step; its marker finds its process. */
const CHAIN = (marker: string) => `version: 1
name: chain
inputs:
  n: { type: integer, default: 0 }
steps:
  - { id: prep, type: shell, run: "echo prep {{inputs.n}}" }
  - { id: slow, type: shell, needs: [prep], run: "sleep ${marker} && echo slept" }
  - { id: fan, type: shell, needs: [slow], for_each: [1, 2, 3], run: "echo item {{item}}" }
  - { id: last, type: shell, needs: [fan], run: "echo done" }
`;

const CACHED = `version: 1
name: cached
inputs:
  n: { type: integer, default: 0 }
defaults:
  cache: { enabled: true }
steps:
  - { id: warm, type: shell, for_each: [1, 2, 3, 4, 5, 6, 7, 8], run: "sleep 0.5; echo {{item}} {{inputs.n}}" }
  - { id: next, type: shell, needs: [warm], run: "echo next {{inputs.n}}" }
`;

let cluster: ClusterProcesses;
let state: DynamoDbState;
let runs = 0;

beforeAll(async () => {
  cluster = await startClusterProcesses({ chain: CHAIN('2.718'), cached: CACHED });
  state = await openDynamoDbState({
    tableName: 'flowline',
    region: cluster.dynalite.region,
    endpoint: cluster.dynalite.endpoint,
    credentials: cluster.dynalite.credentials,
  });
}, 120_000);

afterAll(async () => {
  state?.close();
  await cluster?.stop();
});

describe('the cluster survives crashes (coordinator, 2 workers, Redis, DynamoDB and S3 as processes)', () => {
  it('kill -9 of the worker running a step: the step re-runs on the other worker and is recorded once', async () => {
    const runId = await submit('chain');
    const pid = await eventually('slow to start', async () => (await processesWith('sleep 2.718'))[0]);
    const victim = await workerRunning(pid);
    await victim.kill();
    const replacement = cluster.startWorker(); // back to two workers for the next tests
    expect(await finished(runId)).toMatchObject({ status: 'succeeded' });
    await replacement;
    await expectRecordedOnce(runId);
    await expectNothingQueued();
  }, 90_000);

  it('kill -9 of the coordinator mid-run, then a new one: the run completes', async () => {
    const runId = await submit('chain');
    await eventually('slow to start', async () => (await processesWith('sleep 2.718'))[0]);
    await cluster.coordinator.kill();
    await cluster.startCoordinator();
    expect(await finished(runId)).toMatchObject({ status: 'succeeded' });
    await expectRecordedOnce(runId);
    await expectNothingQueued();
  }, 90_000);

  it('Redis restarted (AOF on) mid-run: the run completes', async () => {
    const runId = await submit('chain');
    await eventually('slow to start', async () => (await processesWith('sleep 2.718'))[0]);
    await cluster.redis.restart();
    expect(await finished(runId)).toMatchObject({ status: 'succeeded' });
    await expectRecordedOnce(runId);
    await expectNothingQueued();
  }, 90_000);

  it('S3 stopped: steps still run, as cache misses', async () => {
    // Both workers and the coordinator hold the workflow once they have run it (S3 holds the bundle).
    expect(await finished(await submit('cached', 1000))).toMatchObject({ status: 'succeeded' });
    const hit = await finished(await submit('cached', 1000));
    expect(attempts(hit).filter((s) => !s.cache_hit)).toEqual([]);
    await cluster.s3.kill();
    try {
      // The same inputs again: with S3 up every step would be a cache hit.
      const runId = await submit('cached', 1000);
      const run = await finished(runId);
      expect(run).toMatchObject({ status: 'succeeded' });
      expect(attempts(run).filter((s) => s.cache_hit)).toEqual([]);
      expect(attempts(run)).toHaveLength(9);
      await expectRecordedOnce(runId);
      await expectNothingQueued();
    } finally {
      await cluster.s3.restart();
    }
  }, 90_000);
});

async function submit(workflow: string, n = ++runs): Promise<string> {
  const response = await cluster.api('/v1/runs', {
    method: 'POST',
    body: JSON.stringify({ workflow, inputs: { n } }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 202) throw new Error(`submit: ${response.status} ${JSON.stringify(body)}`);
  return body['run_id'] as string;
}

/** The units that ran (a fan-out step's items, not the step itself). */
function attempts(run: Record<string, unknown>): { key: string; cache_hit: boolean }[] {
  return (run['steps'] as { key: string; cache_hit: boolean }[]).filter((s) => s.key !== 'warm');
}

async function finished(runId: string): Promise<Record<string, unknown>> {
  return eventually(
    `run ${runId} to finish`,
    async () => {
      // The coordinator may be down between a kill and its restart: keep asking.
      const response = await cluster.api(`/v1/runs/${runId}`).catch(() => undefined);
      if (response?.status !== 200) return undefined;
      const body = (await response.json()) as Record<string, unknown>;
      return body['status'] === 'running' || body['status'] === 'queued' ? undefined : body;
    },
    60_000,
  );
}

/** Every step key has exactly one step_finished in the run's log, and every start was finished. */
async function expectRecordedOnce(runId: string): Promise<void> {
  const events = (await state.runs.readEvents(runId)).map((e: StoredEvent) => e.event);
  const count = (type: string) => {
    const counts = new Map<string, number>();
    for (const e of events) {
      if (e.type !== type || !('key' in e)) continue;
      const key = `${e.key.step}[${e.key.item ?? ''}]`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const finishes = count('step_finished');
  expect(finishes.size).toBeGreaterThan(0);
  expect([...finishes.values()].every((n) => n === 1)).toBe(true);
  expect(count('step_started')).toEqual(finishes);
}

/** The coordinator's /metrics: no job waiting, active, delayed or prioritized on any queue. */
async function expectNothingQueued(): Promise<void> {
  await eventually('the queues to drain', async () => {
    const metrics = await (await fetch(`${cluster.url}/metrics`)).text();
    const open = metrics
      .split('\n')
      .filter((line) => line.startsWith('flowline_queue_jobs{'))
      .filter((line) => /state="(waiting|active|delayed|prioritized)"/.test(line))
      .filter((line) => !line.endsWith(' 0'));
    return open.length === 0 ? true : undefined;
  });
}

/** The worker process whose descendants include `pid`. */
async function workerRunning(pid: number): Promise<ServiceProcess> {
  const workers = new Map(cluster.workers.map((w) => [w.child.pid, w]));
  for (let current = pid; current > 1; current = await parentOf(current)) {
    const worker = workers.get(current);
    if (worker !== undefined) return worker;
  }
  throw new Error(`no worker runs process ${pid}`);
}
