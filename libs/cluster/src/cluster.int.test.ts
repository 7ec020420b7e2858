import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { StepState } from '@flowline/engine';
import { createStepDispatcher } from '@flowline/queue-bullmq';
import { startLocalRun } from '@flowline/runner-local';
import { type CompiledWorkflow, readWorkflowBundle } from '@flowline/workflow';

import { RunCoordinator } from './run-coordinator.js';
import { loadRun } from './run-view.js';
import { type Cluster, type Storage, startCluster } from './test-support/cluster-harness.js';

const EXAMPLES = ['hello', 'diamond', 'conditional-join', 'fan-out', 'retries'];

/** Each step's and item's status and own outputs (timing outputs differ between any two runs). */
function comparable(workflow: CompiledWorkflow, steps: { get(i: number): StepState }) {
  const out: Record<string, unknown> = {};
  [...workflow.steps.keys()].forEach((id, index) => {
    const step = steps.get(index);
    out[id] = { status: step.status, outputs: step.outputs ?? {} };
    step.items?.map((item, i) => (out[`${id}[${i}]`] = { status: item.status, outputs: item.outputs ?? {} }));
  });
  return out;
}

describe.each<Storage>(['files', 'dynamodb+s3'])(
  'the cluster on %s: a coordinator and two workers over real Redis, under bubblewrap',
  (storage) => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await startCluster(storage);
    }, 60_000);
    afterAll(() => cluster?.stop());

    it.each(EXAMPLES)(
      'runs %s with the same statuses and outputs as flowline run',
      async (name) => {
        const bundle = await readWorkflowBundle(resolve('templates/examples', `${name}.yaml`));
        const runId = `c-${name}`; // the same length as the local run's id: templates print it
        await cluster.coordinator.submit({ runId, bundle, inputs: {} });
        const record = await cluster.finished(runId);
        const view = (await loadRun(cluster.runs, cluster.workflows, runId, {}))!;

        const workspace = join(cluster.root, `local-${name}`);
        await mkdir(workspace);
        const local = await startLocalRun(
          cluster.localDeps(),
          { workflow: view.workflow, parallel: 2, secrets: {}, exclude: [] },
          { runId: `l-${name}`, inputs: {}, workspace, workflowFile: bundle.file },
        );
        expect(record.status).toBe(local.record.status);
        expect(record.outputs).toEqual(local.record.outputs);
        expect(comparable(view.workflow, view.state.steps)).toEqual(comparable(view.workflow, local.state.steps));
      },
      90_000,
    );

    it('records every attempt once: one step_finished per attempt in the log', async () => {
      const events = await cluster.runs.readEvents('c-fan-out');
      const finishes = events
        .map((e) => e.event)
        .filter((e) => e.type === 'step_finished')
        .map((e) => JSON.stringify([e.key, e.attempt]));
      expect(finishes.length).toBeGreaterThan(5);
      expect(new Set(finishes).size).toBe(finishes.length);
    });

    it('a coordinator whose cached view is behind another one reloads instead of dropping the report', async () => {
      // Two coordinators over the same stores, on queues no worker serves: the test plays the workers.
      const dispatcher = await createStepDispatcher({ redisUrl: cluster.redisUrl, prefix: '{flowline-stale}' });
      const deps = {
        runs: cluster.runs,
        logs: cluster.logs,
        deadLetters: cluster.deadLetters,
        workflows: cluster.workflows,
        dispatcher,
        admission: cluster.admission,
        clock: Date.now,
        secrets: {},
      };
      const [first, second] = [new RunCoordinator(deps), new RunCoordinator(deps)];
      const bundle = {
        file: 'two.yaml',
        text: 'version: 1\nname: two\nsteps:\n  - { id: a, type: shell, run: "true" }\n  - { id: b, type: shell, needs: [a], run: "true" }\n',
        templateFiles: {},
      };
      await first.submit({ runId: 'stale-view', bundle, inputs: {} });
      const view = (await loadRun(cluster.runs, cluster.workflows, 'stale-view', {}))!;
      const report = (step: string) => ({
        job: {
          runId: 'stale-view',
          workflowDigest: view.workflow.digest,
          key: { step },
          attempt: 1,
          generation: 0,
          stepType: 'shell',
          timeoutMs: 1000,
          priority: 5,
        },
        startedAt: 1,
        finishedAt: 2,
        outcome: { ok: true as const, outputs: {} },
        worker: 'test',
      });
      await second.handleReport(report('a')); // the first coordinator's view still has `a` running
      await first.handleReport(report('b'));
      expect((await cluster.runs.get('stale-view'))?.status).toBe('succeeded');
      await dispatcher.close();
    });

    it('applies a report delivered twice once', async () => {
      const before = await cluster.runs.readEvents('c-hello');
      const finished = before.map((e) => e.event).find((e) => e.type === 'step_finished');
      if (finished?.type !== 'step_finished') throw new Error('hello has a finished step');
      const view = (await loadRun(cluster.runs, cluster.workflows, 'c-hello', {}))!;
      const job = {
        runId: 'c-hello',
        workflowDigest: view.workflow.digest,
        key: finished.key,
        attempt: finished.attempt,
        generation: 0,
        stepType: 'shell',
        timeoutMs: 1000,
        priority: 5,
      };
      await cluster.coordinator.handleReport({
        job,
        startedAt: 1,
        finishedAt: 2,
        outcome: finished.outcome,
        worker: 'x',
      });
      expect(await cluster.runs.readEvents('c-hello')).toEqual(before);
    });
  },
);
