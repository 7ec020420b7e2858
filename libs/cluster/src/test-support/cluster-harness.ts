import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { S3Store } from '@flowline/cache-s3';
import { loadExecutorConfig } from '@flowline/executors';
import type {
  BlobStore,
  DeadLetterStore,
  RunAdmission,
  RunRecord,
  RunStateStore,
  StepCache,
  StepConsumer,
  StepDispatcher,
  StepLogStore,
} from '@flowline/ports';
import {
  type BullmqStepDispatcher,
  createRunAdmission,
  createStepConsumer,
  createStepDispatcher,
} from '@flowline/queue-bullmq';
import type { RunnerDeps } from '@flowline/runner-local';
import { createSandbox } from '@flowline/sandbox';
import { openDynamoDbState } from '@flowline/state-dynamodb';
import { FileRunStateStore, FileStepLogStore, FsBlobStore, FsDeadLetterStore, FsStepCache } from '@flowline/store-fs';
import { type RedisServer, startDynalite, startRedis, startS3rver } from '@flowline/test-servers';

import { RunCoordinator } from '../run-coordinator.js';
import { StepWorker } from '../step-worker.js';
import { WorkflowStore } from '../workflow-store.js';

export type Storage = 'files' | 'dynamodb+s3';

interface Stores {
  readonly runs: RunStateStore;
  readonly logs: StepLogStore;
  readonly deadLetters: DeadLetterStore;
  readonly blobs: BlobStore;
  readonly cache: StepCache;
  stop(): Promise<void>;
}

/** Knobs a load test turns; the defaults are what the parity tests run. */
export interface ClusterOptions {
  /** Attempts each worker runs at once, per step type. Default 2. */
  readonly concurrency?: number;
  /** Default `bwrap`, as in production. */
  readonly sandbox?: 'bwrap' | 'none';
}

/** A coordinator and two workers in this process, over a real redis-server and the chosen stores. */
export interface Cluster {
  readonly root: string;
  readonly redisUrl: string;
  /** The server itself, for `INFO` and `CONFIG` commands. */
  readonly redis: RedisServer;
  /** The coordinator's side of the queues, for `depths()`. */
  readonly dispatcher: StepDispatcher;
  /** Concurrency groups, for more coordinators over the same Redis. */
  readonly admission: RunAdmission;
  readonly runs: RunStateStore;
  readonly logs: StepLogStore;
  readonly deadLetters: DeadLetterStore;
  readonly workflows: WorkflowStore;
  readonly coordinator: RunCoordinator;
  /** Dependencies for a local run on the same stores, to compare with. */
  localDeps(): RunnerDeps;
  finished(runId: string): Promise<RunRecord>;
  stop(): Promise<void>;
}

export async function startCluster(storage: Storage, options: ClusterOptions = {}): Promise<Cluster> {
  const root = await mkdtemp(join(tmpdir(), 'flowline-cluster-'));
  const redis: RedisServer = await startRedis();
  const stores = storage === 'files' ? fileStores(join(root, 'state')) : await cloudStores();
  const { sandbox } = createSandbox({ mode: options.sandbox ?? 'bwrap', searchPath: process.env['PATH'] });
  const deps = (name: string): RunnerDeps => ({
    ...stores,
    sandbox,
    config: loadExecutorConfig({}),
    clock: Date.now,
    tempDir: join(root, name),
    warn: () => undefined,
  });
  const target = { redisUrl: redis.url, prefix: '{flowline-test}', stallIntervalMs: 1_000 };
  const dispatcher: BullmqStepDispatcher = await createStepDispatcher(target);
  const workflows = new WorkflowStore(stores.blobs, root);
  const admission = await createRunAdmission(target);
  const coordinator = new RunCoordinator({ ...stores, workflows, dispatcher, admission, clock: Date.now, secrets: {} });
  await coordinator.start();
  const consumers: StepConsumer[] = [];
  for (const name of ['local', 'worker-a', 'worker-b']) await mkdir(join(root, name));
  for (const name of ['worker-a', 'worker-b']) {
    const consumer = await createStepConsumer({ ...target, workerId: name });
    consumers.push(consumer);
    const workerWorkflows = new WorkflowStore(stores.blobs, join(root, name));
    const worker = new StepWorker({ ...deps(name), workflows: workerWorkflows, consumer, workerId: name, secrets: {} });
    worker.start(['shell', 'claude_code', 'assert', 'template', 'webhook'], options.concurrency ?? 2);
  }
  return {
    root,
    redisUrl: redis.url,
    redis,
    dispatcher,
    admission,
    runs: stores.runs,
    logs: stores.logs,
    deadLetters: stores.deadLetters,
    workflows,
    coordinator,
    localDeps: () => deps('local'),
    finished: (runId) => finished(stores.runs, runId),
    async stop() {
      await Promise.all(consumers.map((c) => c.close({ force: true })));
      await dispatcher.close();
      await admission.close();
      await redis.stop();
      await stores.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

function fileStores(stateDir: string): Stores {
  return {
    runs: new FileRunStateStore(stateDir),
    logs: new FileStepLogStore(stateDir),
    deadLetters: new FsDeadLetterStore(stateDir),
    blobs: new FsBlobStore(stateDir),
    cache: new FsStepCache(stateDir),
    stop: () => Promise.resolve(),
  };
}

/** The production stack's stores, on dynalite and s3rver processes. */
async function cloudStores(): Promise<Stores> {
  const [dynalite, s3rver] = await Promise.all([startDynalite(), startS3rver({ buckets: ['flowline'] })]);
  const state = await openDynamoDbState({
    tableName: 'flowline',
    region: dynalite.region,
    endpoint: dynalite.endpoint,
    credentials: dynalite.credentials,
    init: true,
  });
  const s3 = await S3Store.create({
    bucket: 'flowline',
    region: s3rver.region,
    endpoint: s3rver.endpoint,
    credentials: s3rver.credentials,
    forcePathStyle: true,
  });
  return {
    runs: state.runs,
    logs: state.logs,
    deadLetters: state.deadLetters,
    blobs: s3.blobs,
    cache: s3.stepCache(),
    async stop() {
      state.close();
      s3.destroy();
      await Promise.all([dynalite.stop(), s3rver.stop()]);
    },
  };
}

/** Polls the run's record until it has ended (neither queued nor running) (the store is what a client of the cluster can watch). */
async function finished(runs: RunStateStore, runId: string): Promise<RunRecord> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const record = await runs.get(runId);
    if (record !== undefined && record.status !== 'running' && record.status !== 'queued') return record;
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
