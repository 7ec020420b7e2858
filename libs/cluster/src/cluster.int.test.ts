import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { StepState } from '@flowline/engine';
import { loadExecutorConfig } from '@flowline/executors';
import type { RunRecord, StepConsumer } from '@flowline/ports';
import { type BullmqStepDispatcher, createStepConsumer, createStepDispatcher } from '@flowline/queue-bullmq';
import { type RunnerDeps, startLocalRun } from '@flowline/runner-local';
import { createSandbox } from '@flowline/sandbox';
import { FileRunStateStore, FileStepLogStore, FsBlobStore, FsStepCache } from '@flowline/store-fs';
import { type RedisServer, startRedis } from '@flowline/test-servers';
import { type CompiledWorkflow, readWorkflowBundle } from '@flowline/workflow';

import { RunCoordinator } from './run-coordinator.js';
import { loadRun } from './run-view.js';
import { StepWorker } from './step-worker.js';
import { WorkflowStore } from './workflow-store.js';

const EXAMPLES = ['hello', 'diamond', 'conditional-join', 'fan-out', 'retries'];

let redis: RedisServer;
let root: string;
let dispatcher: BullmqStepDispatcher;
const consumers: StepConsumer[] = [];
let coordinator: RunCoordinator;
let shared: { runs: FileRunStateStore; workflows: WorkflowStore; deps: (name: string) => RunnerDeps };

beforeAll(async () => {
  redis = await startRedis();
  root = await mkdtemp(join(tmpdir(), 'flowline-cluster-'));
  const stateDir = join(root, 'state');
  const { sandbox } = createSandbox({ mode: 'bwrap', searchPath: process.env['PATH'] });
  const blobs = new FsBlobStore(stateDir);
  const deps = (name: string): RunnerDeps => ({
    runs: new FileRunStateStore(stateDir),
    logs: new FileStepLogStore(stateDir),
    blobs,
    cache: new FsStepCache(stateDir),
    sandbox,
    config: loadExecutorConfig({}),
    clock: Date.now,
    tempDir: join(root, name),
    warn: () => undefined,
  });
  const workflows = new WorkflowStore(blobs, root);
  shared = { runs: new FileRunStateStore(stateDir), workflows, deps };
  const target = { redisUrl: redis.url, prefix: '{flowline-test}' };
  dispatcher = await createStepDispatcher({ ...target, stallIntervalMs: 1_000 });
  coordinator = new RunCoordinator({ runs: shared.runs, workflows, dispatcher, clock: Date.now, secrets: {} });
  coordinator.start();
  await mkdir(join(root, 'local'));
  for (const name of ['worker-a', 'worker-b']) {
    await mkdir(join(root, name));
    const consumer = await createStepConsumer({ ...target, workerId: name, stallIntervalMs: 1_000 });
    consumers.push(consumer);
    const worker = new StepWorker({
      ...deps(name),
      workflows: new WorkflowStore(blobs, join(root, name)),
      consumer,
      workerId: name,
      secrets: {},
    });
    worker.start(['shell', 'claude_code', 'assert', 'template', 'webhook'], 2);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.close({ force: true })));
  await dispatcher?.close();
  await redis?.stop();
  await rm(root, { recursive: true, force: true });
});

/** Polls the run's record until it leaves `running` (the cluster reports nothing else to wait on). */
async function finished(runId: string): Promise<RunRecord> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const record = await shared.runs.get(runId);
    if (record !== undefined && record.status !== 'running') return record;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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

describe('the cluster (coordinator + two workers, real Redis and bubblewrap)', () => {
  it.each(EXAMPLES)(
    'runs %s with the same statuses and outputs as flowline run',
    async (name) => {
      const bundle = await readWorkflowBundle(resolve('templates/examples', `${name}.yaml`));
      const runId = `c-${name}`; // the same length as the local run's id: templates print it
      await coordinator.submit({ runId, bundle, inputs: {} });
      const record = await finished(runId);
      const view = (await loadRun(shared.runs, shared.workflows, runId, {}))!;

      const workspace = join(root, `local-${name}`);
      await mkdir(workspace);
      const local = await startLocalRun(
        shared.deps('local'),
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
    const events = await shared.runs.readEvents('c-fan-out');
    const finishes = events
      .filter((e) => e.event.type === 'step_finished')
      .map((e) => JSON.stringify(e.event.type === 'step_finished' && [e.event.key, e.event.attempt]));
    expect(new Set(finishes).size).toBe(finishes.length);
  });

  it('applies a report delivered twice once', async () => {
    const before = await shared.runs.readEvents('c-hello');
    const finished_ = before.find((e) => e.event.type === 'step_finished')!.event;
    if (finished_.type !== 'step_finished') throw new Error('unreachable');
    const view = (await loadRun(shared.runs, shared.workflows, 'c-hello', {}))!;
    await coordinator.handleReport({
      job: {
        runId: 'c-hello',
        workflowDigest: view.workflow.digest,
        key: finished_.key,
        attempt: finished_.attempt,
        stepType: 'shell',
        timeoutMs: 1000,
        priority: 5,
      },
      startedAt: 1,
      finishedAt: 2,
      outcome: finished_.outcome,
      worker: 'replayed',
    });
    expect(await shared.runs.readEvents('c-hello')).toEqual(before);
  });
});
