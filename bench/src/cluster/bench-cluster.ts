import { RunCoordinator, WorkflowStore } from '@flowline/cluster';
import type { RunAdmission, RunRecord, RunStateStore, StepDispatcher } from '@flowline/ports';
import { createRunAdmission, createStepDispatcher } from '@flowline/queue-bullmq';
import { type ClusterStores, openClusterStores, parseServiceConfig } from '@flowline/service-config';

import { type BenchServers, QUEUE_PREFIX, startBenchServers } from './bench-servers.js';
import { benchBundle } from './bench-workflow.js';
import { CountingProxy } from './counting-proxy.js';
import { WorkerProcesses } from './worker-processes.js';

export interface BenchClusterOptions {
  readonly workers: number;
  /** WORKER_CONCURRENCY: attempts at once per queue in each worker. */
  readonly concurrency: number;
  /** Write a CPU profile of each worker process here (`node --cpu-prof`) when they stop. */
  readonly profileDir?: string;
  /** Route DynamoDB and S3 requests through counting proxies (costs a hop: never for timing). */
  readonly countRequests?: boolean;
}

/** A batch of runs, submitted at once and waited for. */
export interface Batch {
  readonly runIds: readonly string[];
  /** When the first submit was called (epoch ms, this machine's clock). */
  readonly submittedAt: number;
  /** When every submit had returned. */
  readonly acceptedAt: number;
  /** The last run's finishedAt, as the coordinator recorded it. */
  readonly finishedAt: number;
  readonly records: readonly RunRecord[];
}

/** No dummy token is ever sent: the coordinator's HTTP API is not started. */
const UNUSED_TOKEN_DIGEST = `sha256:${'0'.repeat(64)}`;

interface Parts {
  readonly servers: BenchServers;
  /** The coordinator's stores. */
  readonly stores: ClusterStores;
  /** The bench's own reads (waiting for runs, reading their logs): the coordinator's stores, or direct ones when counting. */
  readonly watch: ClusterStores;
  readonly proxies: readonly CountingProxy[];
  readonly dispatcher: StepDispatcher;
  readonly admission: RunAdmission;
  readonly coordinator: RunCoordinator;
  readonly workers: WorkerProcesses;
}

/**
 * The production stack on one machine: Redis, dynalite and s3rver processes;
 * the coordinator (RunCoordinator on the production stores, as the
 * coordinator service wires it, without its HTTP API) in this process; and
 * worker services as processes of their own, sandbox off.
 */
export class BenchCluster {
  private constructor(private readonly parts: Parts) {}

  static async start(options: BenchClusterOptions): Promise<BenchCluster> {
    const servers = await startBenchServers();
    const direct = servers.env({ FLOWLINE_API_TOKENS: UNUSED_TOKEN_DIGEST });
    const proxies = options.countRequests === true ? await startProxies(direct) : [];
    const [dynamodb, s3] = proxies;
    const env =
      dynamodb === undefined || s3 === undefined
        ? direct
        : { ...direct, DYNAMODB_ENDPOINT: dynamodb.endpoint, S3_ENDPOINT: s3.endpoint };
    const stores = await openClusterStores(parseServiceConfig(env, 'coordinator'));
    const watch = env === direct ? stores : await openClusterStores(parseServiceConfig(direct, 'coordinator'));
    const target = { redisUrl: servers.redis.url, prefix: QUEUE_PREFIX };
    const dispatcher = await createStepDispatcher(target);
    const admission = await createRunAdmission(target);
    const workflows = new WorkflowStore(stores.blobs, servers.tempDir);
    const coordinator = new RunCoordinator({
      ...stores,
      workflows,
      dispatcher,
      admission,
      clock: Date.now,
      secrets: {},
    });
    await coordinator.start();
    const workerEnv = {
      ...env,
      WORKER_CONCURRENCY: String(options.concurrency),
      WORKER_QUEUES: 'assert,template',
      FLOWLINE_SANDBOX: 'none',
    };
    const nodeArgs = options.profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`];
    const workers = await WorkerProcesses.start(options.workers, workerEnv, servers.tempDir, nodeArgs);
    return new BenchCluster({ servers, stores, watch, proxies, dispatcher, admission, coordinator, workers });
  }

  get servers(): BenchServers {
    return this.parts.servers;
  }

  get workers(): WorkerProcesses {
    return this.parts.workers;
  }

  /** DynamoDB and S3 requests by operation since the start, when counting. */
  requestCounts(): Map<string, number> {
    return new Map(this.parts.proxies.flatMap((proxy) => [...proxy.counts]));
  }

  /** The run state, read directly (not through a counting proxy). */
  get runs(): RunStateStore {
    return this.parts.watch.runs;
  }

  /** Every process of the stack by role; the coordinator is this process. */
  processes(): Record<string, number> {
    const { redis, dynalite, s3rver } = this.parts.servers.pids;
    const workers = Object.fromEntries(this.parts.workers.pids.map((pid, i) => [`worker ${i + 1}`, pid]));
    return { coordinator: process.pid, ...workers, redis, dynalite, s3rver };
  }

  /** Submits `count` runs of the bench workflow at once (Promise.all) and waits for every one to finish. */
  async batch(name: string, count: number, timeoutMs: number): Promise<Batch> {
    const runIds = Array.from({ length: count }, (_, i) => `${name}-${i}`);
    const submittedAt = Date.now();
    await Promise.all(
      runIds.map((runId) => this.parts.coordinator.submit({ runId, bundle: benchBundle(), inputs: {} })),
    );
    const acceptedAt = Date.now();
    const records = await this.allFinished(runIds, timeoutMs);
    const finishedAt = Math.max(...records.map((r) => r.finishedAt ?? Number.NaN));
    return { runIds, submittedAt, acceptedAt, finishedAt, records };
  }

  async stop(): Promise<void> {
    const { workers, dispatcher, admission, stores, watch, proxies, servers } = this.parts;
    await workers.stop();
    await dispatcher.close();
    await admission.close();
    await stores.close();
    if (watch !== stores) await watch.close();
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    await servers.stop();
  }

  /**
   * Waits until every run has left `running`. The queues are the cheap gate
   * (a run in flight always has a step or a report queued or active); the
   * records are read only when the queues look idle.
   */
  private async allFinished(runIds: readonly string[], timeoutMs: number): Promise<RunRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!(await this.queuesBusy())) {
        const records = await Promise.all(runIds.map((id) => this.parts.watch.runs.get(id)));
        if (records.every((r) => r !== undefined && r.status !== 'running')) return records as RunRecord[];
      }
      if (Date.now() > deadline) throw new Error(`the ${runIds.length} runs did not all finish in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private async queuesBusy(): Promise<boolean> {
    const depths = Object.values(await this.parts.dispatcher.depths());
    return depths.some((d) => d.waiting + d.prioritized + d.active + d.delayed > 0);
  }
}

/** Counting proxies for the DynamoDB and S3 endpoints of `env`, in that order. */
async function startProxies(env: Readonly<Record<string, string>>): Promise<CountingProxy[]> {
  return Promise.all([
    CountingProxy.start(env['DYNAMODB_ENDPOINT'] ?? '', 'DynamoDB'),
    CountingProxy.start(env['S3_ENDPOINT'] ?? '', 'S3'),
  ]);
}
