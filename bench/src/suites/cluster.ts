import { availableParallelism } from 'node:os';

import { measureBullmqFloor } from '@flowline/queue-bullmq';

import { BenchCluster, type Batch } from '../cluster/bench-cluster.js';
import { BENCH_STEPS } from '../cluster/bench-workflow.js';
import { type HopSplit, splitHops } from '../cluster/queue-times.js';
import { commandCounts, memoryUse, resetStats } from '../cluster/redis-info.js';
import { type RunTimings, quantile, runTimings } from '../cluster/run-timings.js';
import { processCpuMs, processMemory } from '../cluster/process-stats.js';
import type { Row } from '../report.js';

export interface ClusterSuiteOptions {
  /** Worker service processes. */
  readonly workers: number;
  /** WORKER_CONCURRENCY: attempts at once per queue in each worker. */
  readonly concurrency: number;
  /** Runs submitted at once for throughput, overhead and commands per step. */
  readonly runs: number;
  /** Runs submitted at once for completion time and memory. */
  readonly scaleRuns: number;
  /** Raw BullMQ jobs for the floor. */
  readonly floorJobs: number;
  /** Runs submitted one at a time, for the overhead on an idle cluster. */
  readonly idleRuns: number;
  readonly profileDir?: string;
}

const MINUTE = 60_000;
/** Enough runs for stable per-step counts; the proxy's hop would only slow a larger batch. */
const REQUEST_COUNT_RUNS = 200;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rate = (value: number) => `${Math.round(value).toLocaleString('en-US')}`;

/**
 * The cluster on one machine, production adapters (DynamoDB API on
 * dynalite, S3 API on s3rver, Redis), sandbox off, each stack fresh. First
 * the floor on the stack's own Redis, then a batch of concurrent runs for
 * throughput, overhead and Redis commands; then runs one at a time; then,
 * on a new stack, the large batch for completion time and memory.
 */
export async function clusterSuite(options: ClusterSuiteOptions): Promise<Row[]> {
  const rows = await throughputRows(options);
  rows.push(await requestsRow(options));
  rows.push(...(await scaleRows(options)));
  return rows;
}

async function throughputRows(options: ClusterSuiteOptions): Promise<Row[]> {
  const cluster = await BenchCluster.start(options);
  try {
    // Same Redis, same number of workers, as many jobs at once per worker as a Flowline worker
    // may run of these steps (two queues, assert and template, `concurrency` each).
    const floor = await measureBullmqFloor({
      redisUrl: cluster.servers.redis.url,
      prefix: '{flowline-floor}',
      jobs: options.floorJobs,
      workers: options.workers,
      concurrency: options.concurrency * 2,
    });
    progress(`floor: ${rate(floor.jobsPerSecond)} jobs/s`);
    await resetStats(cluster.servers.redis);
    const cpuBefore = await cpuTimes(cluster.processes());
    const batch = await cluster.batch('t', options.runs, 15 * MINUTE);
    const cpu = await cpuTimes(cluster.processes(), cpuBefore);
    const commands = await commandCounts(cluster.servers.redis);
    const timings = await runTimings(cluster.runs, batch.runIds);
    progress(`${options.runs} runs: ${ms(batch.finishedAt - batch.submittedAt)}`);
    const idle = await idleTimings(cluster, options.idleRuns);
    const redis = cluster.servers.redis;
    const split = {
      loaded: await splitHops(redis, timings.hops, 2_000),
      idle: await splitHops(redis, idle.hops, 2_000),
    };
    return [
      countRow(batch, timings),
      throughputRow(options, batch, floor.jobsPerSecond),
      ...overheadRows(options, timings, idle),
      splitRow(split),
      commandsRow(options, commands),
      cpuRow(options, cpu, batch.finishedAt - batch.submittedAt),
    ];
  } finally {
    await cluster.stop();
  }
}

/** Runs submitted one after another, each waited for: the overhead with nothing queued ahead. */
async function idleTimings(cluster: BenchCluster, count: number): Promise<RunTimings> {
  const runIds: string[] = [];
  for (let i = 0; i < count; i++) runIds.push(...(await cluster.batch(`idle${i}`, 1, MINUTE)).runIds);
  return runTimings(cluster.runs, runIds);
}

function countRow(batch: Batch, timings: RunTimings): Row {
  const succeeded = batch.records.filter((r) => r.status === 'succeeded').length;
  const steps = batch.runIds.length * BENCH_STEPS;
  const ok = succeeded === batch.runIds.length && timings.stepsOnce === steps && timings.anomalies.length === 0;
  return {
    benchmark: `${batch.runIds.length.toLocaleString('en-US')} concurrent runs: runs succeeded, steps started and finished exactly once (counted in the event logs)`,
    result: `${succeeded} runs · ${timings.stepsOnce} of ${steps} steps once · ${timings.anomalies.length} lost or duplicated${timings.anomalies.length > 0 ? ` (${timings.anomalies.slice(0, 3).join('; ')})` : ''}`,
    target: 'all, none lost or duplicated',
    met: ok,
  };
}

function throughputRow(options: ClusterSuiteOptions, batch: Batch, floorJobsPerSecond: number): Row {
  const steps = batch.runIds.length * BENCH_STEPS;
  const perSecond = (steps / (batch.finishedAt - batch.submittedAt)) * 1000;
  const ratio = perSecond / floorJobsPerSecond;
  return {
    benchmark: `step throughput, ${options.runs.toLocaleString('en-US')} concurrent 10-step runs (assert and template steps, no process spawned), ${options.workers} workers × ${options.concurrency} per queue, sandbox off`,
    result: `${rate(perSecond)} steps/s (${ms(batch.finishedAt - batch.submittedAt)} from the first submit to the last run's end)`,
    floor: `${rate(floorJobsPerSecond)} jobs/s (bare BullMQ, same Redis: addBulk, ${options.workers} Workers × ${options.concurrency * 2}, no-op processor)`,
    ratio,
    target: 'ratio ≥ 0.5',
    met: ratio >= 0.5,
  };
}

function overheadRows(options: ClusterSuiteOptions, loaded: RunTimings, idle: RunTimings): Row[] {
  const p50 = quantile(loaded.overheadMs, 0.5);
  const p99 = quantile(loaded.overheadMs, 0.99);
  return [
    {
      benchmark: `orchestration overhead per step, ${options.runs.toLocaleString('en-US')} concurrent runs: step_started.at − latest step_finished.at of its needs (${loaded.overheadMs.length.toLocaleString('en-US')} steps)`,
      result: `p50 ${ms(p50)} · p99 ${ms(p99)}`,
      target: 'p50 ≤ 2 ms, p99 ≤ 20 ms',
      met: p50 <= 2 && p99 <= 20,
    },
    {
      benchmark: `same, ${options.idleRuns} runs one at a time (nothing queued ahead)`,
      result: `p50 ${ms(quantile(idle.overheadMs, 0.5))} · p99 ${ms(quantile(idle.overheadMs, 0.99))}`,
      target: 'reported',
      met: true,
    },
    {
      benchmark: `for reference: a step's own time on the worker (step_finished.at − step_started.at: reload the run, rebuild the workspace, run, store the change set), ${options.runs.toLocaleString('en-US')} concurrent runs · one at a time`,
      result: `p50 ${ms(quantile(loaded.stepMs, 0.5))} · p99 ${ms(quantile(loaded.stepMs, 0.99))} · idle p50 ${ms(quantile(idle.stepMs, 0.5))}`,
      target: 'reported',
      met: true,
    },
  ];
}

function splitRow(split: { readonly loaded: HopSplit; readonly idle: HopSplit }): Row {
  const both = (values: readonly number[]) => `p50 ${ms(quantile(values, 0.5))} p99 ${ms(quantile(values, 0.99))}`;
  const parts = (hops: HopSplit) => [hops.coordinatorMs, hops.queueMs, hops.pickupMs].map(both).join(' · ');
  return {
    benchmark: `where the overhead goes (a sample of ${split.loaded.queueMs.length} steps, from the BullMQ job's added and taken times): last dependency finished → step queued by the coordinator · queued → taken by a worker · taken → handler started`,
    result: `concurrent: ${parts(split.loaded)}; one at a time: ${parts(split.idle)}`,
    target: 'reported',
    met: true,
  };
}

function commandsRow(options: ClusterSuiteOptions, commands: readonly { command: string; calls: number }[]): Row {
  const steps = options.runs * BENCH_STEPS;
  const total = commands.reduce((sum, c) => sum + c.calls, 0);
  const top = commands
    .slice(0, 6)
    .map((c) => `${c.command} ${(c.calls / steps).toFixed(1)}`)
    .join(', ');
  return {
    benchmark: `Redis commands per step, ${options.runs.toLocaleString('en-US')} concurrent runs (INFO commandstats after CONFIG RESETSTAT; commands inside BullMQ's Lua scripts included)`,
    result: `${(total / steps).toFixed(1)} per step; top: ${top}`,
    target: 'reported',
    met: true,
  };
}

/** Runs counted through proxies in front of dynalite and s3rver: the AWS API calls a step costs. */
async function requestsRow(options: ClusterSuiteOptions): Promise<Row> {
  const runs = Math.min(options.runs, REQUEST_COUNT_RUNS);
  const cluster = await BenchCluster.start({ ...options, countRequests: true });
  try {
    await cluster.batch('q', runs, 15 * MINUTE);
    const steps = runs * BENCH_STEPS;
    const counts = [...cluster.requestCounts()].sort((a, b) => b[1] - a[1]);
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const each = counts
      .filter(([, n]) => n / steps >= 0.005)
      .map(([name, n]) => `${name} ${(n / steps).toFixed(2)}`)
      .join(', ');
    return {
      benchmark: `for reference: DynamoDB and S3 API requests per step, ${runs} concurrent runs (counted by an HTTP proxy in front of dynalite and s3rver; submits included)`,
      result: `${(total / steps).toFixed(1)} per step: ${each}`,
      target: 'reported',
      met: true,
    };
  } finally {
    await cluster.stop();
  }
}

/** CPU ms used by each process, minus `since` when given. */
async function cpuTimes(
  pids: Record<string, number>,
  since: Record<string, number> = {},
): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(pids).map(async ([role, pid]) => [role, (await processCpuMs(pid)) - (since[role] ?? 0)] as const),
  );
  return Object.fromEntries(entries);
}

/** Where the CPU went: each process's CPU time over the batch, per step, and the machine's CPU it adds up to. */
function cpuRow(options: ClusterSuiteOptions, cpu: Record<string, number>, elapsedMs: number): Row {
  const steps = options.runs * BENCH_STEPS;
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  const parts = Object.entries(cpu).map(([role, used]) => `${role} ${(used / steps).toFixed(2)}`);
  const cores = total / elapsedMs;
  return {
    benchmark: `for reference: CPU ms per step by process over the ${options.runs.toLocaleString('en-US')} runs (/proc utime + stime), and the cores they kept busy`,
    result: `${parts.join(' · ')} · total ${(total / steps).toFixed(2)} ms/step, ${cores.toFixed(2)} of ${availableParallelism()} cores`,
    target: 'reported',
    met: true,
  };
}

async function scaleRows(options: ClusterSuiteOptions): Promise<Row[]> {
  const cluster = await BenchCluster.start(options);
  try {
    const batch = await cluster.batch('s', options.scaleRuns, 30 * MINUTE);
    const elapsed = batch.finishedAt - batch.submittedAt;
    progress(`${options.scaleRuns} runs: ${ms(elapsed)}`);
    const redis = await memoryUse(cluster.servers.redis);
    const coordinator = await processMemory(process.pid);
    const workers = await cluster.workers.memory();
    const { dynalite, s3rver } = cluster.servers.pids;
    const [dynaliteMemory, s3rverMemory] = await Promise.all([processMemory(dynalite), processMemory(s3rver)]);
    const timings = await runTimings(cluster.runs, batch.runIds);
    const count = countRow(batch, timings);
    const runs = options.scaleRuns.toLocaleString('en-US');
    return [
      count,
      {
        benchmark: `${runs} concurrent 10-step runs: completion time (first submit to last run's end)`,
        result: `${(elapsed / 1000).toFixed(1)} s (${rate((options.scaleRuns * BENCH_STEPS * 1000) / elapsed)} steps/s; all submitted after ${((batch.acceptedAt - batch.submittedAt) / 1000).toFixed(1)} s)`,
        target: 'reported',
        met: true,
      },
      {
        benchmark: `${runs} concurrent runs: memory — Redis used_memory_peak (INFO memory) · coordinator RSS peak · each worker's RSS peak (VmHWM)`,
        result: `Redis ${mib(redis.peak)} (${mib(redis.used)} after) · coordinator ${mib(coordinator.peak)} · workers ${workers.map((w) => mib(w.peak)).join(', ')}`,
        target: 'reported',
        met: true,
      },
      {
        benchmark: `for reference: the test servers' RSS after ${runs} runs — dynalite (DynamoDB API, in memory) · s3rver (S3 API)`,
        result: `${mib(dynaliteMemory.rss)} · ${mib(s3rverMemory.rss)}`,
        target: 'reported',
        met: true,
      },
    ];
  } finally {
    await cluster.stop();
  }
}

function progress(line: string): void {
  process.stderr.write(`bench:cluster: ${line}\n`);
}
