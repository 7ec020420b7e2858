import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { formatStepKey } from '@flowline/engine';
import type { RunRecord } from '@flowline/ports';

import { type Cluster, startCluster } from './test-support/cluster-harness.js';

/** Issue 4: 1,000 concurrent runs of a 10-step DAG on one machine, every step counted. */
const RUNS = 1_000;

/**
 * Ten cheap steps: shell steps that spawn `true`/`echo` under bubblewrap,
 * asserts and templates that run in the worker's process, a three-way fan-out
 * from `start` and a fan-in at `join` that reads all three branches.
 */
const WORKFLOW = `version: 1
name: load-ten
steps:
  - { id: start, type: shell, run: "true" }
  - { id: left, type: shell, needs: [start], run: "echo left" }
  - { id: middle, type: assert, needs: [start], that: ["{{eq steps.start.status 'succeeded'}}"] }
  - { id: right, type: template, needs: [start], template: "run {{run.id}}", output: right.txt }
  - { id: left2, type: shell, needs: [left], run: "true" }
  - { id: middle2, type: assert, needs: [middle], that: ["{{eq steps.middle.status 'succeeded'}}"] }
  - { id: right2, type: shell, needs: [right], run: "cat right.txt" }
  - id: join
    type: assert
    needs: [left2, middle2, right2]
    that: ["{{and (eq steps.left2.status 'succeeded') (eq steps.right2.status 'succeeded')}}"]
  - { id: report, type: template, needs: [join], template: "joined {{run.id}}", output: report.txt }
  - { id: done, type: shell, needs: [report], run: "echo done" }
`;
const STEPS = ['start', 'left', 'middle', 'right', 'left2', 'middle2', 'right2', 'join', 'report', 'done'];

/** Whether any queue still holds work: ready, running or delayed. */
async function queuesBusy(cluster: Cluster): Promise<boolean> {
  const depths = Object.values(await cluster.dispatcher.depths());
  return depths.some((d) => d.waiting + d.prioritized + d.active + d.delayed > 0);
}

/**
 * Waits until every run has left `running`. The queues are the cheap gate
 * (a run in flight always has a job or a report queued or active); the
 * records are the proof, read again whenever the queues look idle.
 */
async function allFinished(cluster: Cluster, runIds: readonly string[], timeoutMs: number): Promise<RunRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await queuesBusy(cluster))) {
      const records = await Promise.all(runIds.map((id) => cluster.runs.get(id)));
      if (records.every((r) => r !== undefined && r.status !== 'running')) return records as RunRecord[];
    }
    if (Date.now() > deadline) throw new Error(`the ${runIds.length} runs did not all finish in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Per step key: how many step_started and step_finished events each attempt has in the run's log. */
async function countEvents(cluster: Cluster, runId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { event } of await cluster.runs.readEvents(runId)) {
    if (event.type !== 'step_started' && event.type !== 'step_finished') continue;
    const name = `${formatStepKey(event.key)} ${event.type} #${event.attempt}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

// On the production adapters (DynamoDB API on dynalite, S3 API on s3rver), under bubblewrap.
describe('1,000 concurrent runs of a 10-step DAG on one machine', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster('dynamodb+s3', { concurrency: 8 });
  }, 60_000);
  afterAll(() => cluster?.stop());

  it(
    'completes every run with every step started and finished exactly once, and leaves the queues empty',
    async () => {
      const text = WORKFLOW;
      const bundle = { file: 'load-ten.yaml', text, templateFiles: {} };
      const runIds = Array.from({ length: RUNS }, (_, i) => `load-${i}`);

      await Promise.all(runIds.map((runId) => cluster.coordinator.submit({ runId, bundle, inputs: {} })));
      const records = await allFinished(cluster, runIds, 10 * 60_000);

      expect(records.filter((r) => r.status !== 'succeeded').map((r) => `${r.runId}: ${r.status}`)).toEqual([]);
      const expected = new Map(
        STEPS.flatMap((step) => [
          [`${step} step_started #1`, 1],
          [`${step} step_finished #1`, 1],
        ]),
      );
      let counted = 0;
      for (const runId of runIds) {
        const counts = await countEvents(cluster, runId);
        // No step lost (each has its events), none duplicated (once each), no second attempt.
        expect({ runId, counts: Object.fromEntries(counts) }).toEqual({ runId, counts: Object.fromEntries(expected) });
        counted += [...counts.values()].reduce((a, b) => a + b, 0);
      }
      expect(counted).toBe(RUNS * STEPS.length * 2);

      const depths = await cluster.dispatcher.depths();
      for (const [queue, depth] of Object.entries(depths)) {
        expect({
          queue,
          waiting: depth.waiting + depth.prioritized,
          active: depth.active,
          delayed: depth.delayed,
        }).toEqual({ queue, waiting: 0, active: 0, delayed: 0 });
        expect({ queue, failed: depth.failed }).toEqual({ queue, failed: 0 });
      }
    },
    15 * 60_000,
  );
});
