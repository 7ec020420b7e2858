import { FlowlineError } from '@flowline/core';
import { formatStepKey } from '@flowline/engine';
import type { QueueDepth, StepDispatcher, StepJob, StepReport } from '@flowline/ports';
import { Queue, Worker } from 'bullmq';

import { publishCancel } from './cancel-channel.js';
import { stepJobId } from './job-id.js';
import {
  DEFAULT_REPORT_RETRY,
  REPORT_BACKOFF,
  type ReportRetry,
  type Retention,
  STEP_JOB_RETENTION,
  reportDelayMs,
  stepJobOptions,
} from './job-options.js';
import { type QueueLog, stderrQueueLog } from './queue-log.js';
import { REPORTS_QUEUE, STEP_QUEUES, stepQueueName } from './queue-names.js';
import { type RedisClient, type RedisTarget, checkedPrefix, closeRedis, connectRedis } from './redis-client.js';

export interface StepDispatcherOptions extends RedisTarget {
  /** The step queues `depths()` reports (beside `reports`). Default: every step type's. */
  readonly stepTypes?: readonly string[];
  readonly retention?: Retention;
  /** Reports handled at once. Default 16. */
  readonly reportConcurrency?: number;
  /** Backoff before a report whose handler failed is delivered again. Default 1 s doubling to 30 s. */
  readonly reportRetry?: ReportRetry;
  /** Lock of a report being handled; a coordinator killed mid-report loses it and the report is delivered again. Default 30 s. */
  readonly reportLockDurationMs?: number;
  /** How often coordinators look for reports whose lock expired. Default 30 s. */
  readonly stallIntervalMs?: number;
  readonly log?: QueueLog;
}

interface DispatcherSettings {
  readonly prefix: string;
  readonly retention: Retention;
  readonly reportConcurrency: number;
  readonly reportRetry: ReportRetry;
  readonly reportLockDurationMs: number;
  readonly stallIntervalMs: number;
  readonly log: QueueLog;
}

/**
 * A report handler that fails, or a coordinator that dies while handling
 * one, must not lose the report: the reports worker lets a report stall any
 * number of times.
 */
const REPORT_MAX_STALLS = 1_000_000;

/**
 * The coordinator's side of the queue on BullMQ: a producer per step-type
 * queue and a worker on the reports queue, over one Redis connection (the
 * worker adds its blocking one).
 */
export class BullmqStepDispatcher implements StepDispatcher {
  private readonly queues = new Map<string, Queue<StepJob>>();
  private readonly reports: Queue<StepReport>;
  private reportsWorker: Worker<StepReport> | undefined;
  private closed: Promise<void> | undefined;

  /** Connects to Redis (failing after `connectTimeoutMs`). */
  static async create(options: StepDispatcherOptions): Promise<BullmqStepDispatcher> {
    const settings = dispatcherSettings(options);
    const stepTypes = (options.stepTypes ?? STEP_QUEUES).map(stepQueueName);
    return new BullmqStepDispatcher(settings, await connectRedis(options, settings.log), stepTypes);
  }

  private constructor(
    private readonly settings: DispatcherSettings,
    private readonly client: RedisClient,
    stepTypes: readonly string[],
  ) {
    for (const name of stepTypes) this.queue(name);
    this.reports = this.newQueue<StepReport>(REPORTS_QUEUE);
  }

  /** Queues an attempt once: while its job exists (queued, running, or kept after finishing), this is a no-op. */
  async enqueue(job: StepJob, options: { readonly delayMs?: number } = {}): Promise<void> {
    const queue = this.queue(stepQueueName(job.stepType));
    await queue.add(
      `${formatStepKey(job.key)}#${job.attempt}`,
      job,
      stepJobOptions(job, options.delayMs, this.settings.retention),
    );
  }

  /**
   * Removes an attempt still waiting or delayed. A job a worker has taken is
   * locked and stays (false); so does one that finished.
   */
  async withdraw(job: StepJob): Promise<boolean> {
    const queue = this.queue(stepQueueName(job.stepType));
    const id = stepJobId(job);
    const state = await queue.getJobState(id);
    if (state !== 'waiting' && state !== 'prioritized' && state !== 'delayed') return false;
    // Taken between the two calls: the job is locked and `remove` refuses (0).
    return (await queue.remove(id)) === 1;
  }

  /** Publishes the run's cancellation to every consumer (cancel-channel.ts); their running attempts of it abort. */
  async cancelRunning(runId: string): Promise<void> {
    await publishCancel(this.client, this.settings.prefix, runId);
  }

  consumeReports(handle: (report: StepReport) => Promise<void>): void {
    if (this.closed !== undefined) throw new FlowlineError('dispatcher_closed', 'the dispatcher is closed');
    if (this.reportsWorker !== undefined) throw new FlowlineError('already_consuming', 'already consuming reports');
    this.reportsWorker = this.startReportsWorker(handle);
  }

  async depths(): Promise<Readonly<Record<string, QueueDepth>>> {
    const queues: Queue[] = [...this.queues.values(), this.reports];
    const counts = await Promise.all(queues.map(async (queue) => [queue.name, depthOf(await queue.getJobCounts())]));
    return Object.fromEntries(counts) as Record<string, QueueDepth>;
  }

  /** Waits for report handlers running now, then disconnects. */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    await this.reportsWorker?.close();
    await Promise.all([...this.queues.values(), this.reports].map((queue) => queue.close()));
    await closeRedis(this.client);
  }

  private startReportsWorker(handle: (report: StepReport) => Promise<void>): Worker<StepReport> {
    const { settings } = this;
    const worker = new Worker<StepReport>(REPORTS_QUEUE, (job) => handle(job.data), {
      connection: this.client,
      prefix: settings.prefix,
      concurrency: settings.reportConcurrency,
      lockDuration: settings.reportLockDurationMs,
      stalledInterval: settings.stallIntervalMs,
      maxStalledCount: REPORT_MAX_STALLS,
      settings: { backoffStrategy: (attemptsMade, type) => this.reportDelay(attemptsMade, type) },
    });
    worker.on('error', (error) => settings.log({ level: 'warn', message: 'reports worker', error }));
    worker.on('failed', (job, error) => {
      const message = 'report handler failed; the report will be delivered again';
      settings.log({ level: 'warn', message, error, ...(job?.id === undefined ? {} : { jobId: job.id }) });
    });
    return worker;
  }

  private reportDelay(attemptsMade: number, type: string | undefined): number {
    if (type !== REPORT_BACKOFF) throw new FlowlineError('unknown_backoff', `no backoff named ${type}`);
    return reportDelayMs(this.settings.reportRetry, attemptsMade);
  }

  private queue(name: string): Queue<StepJob> {
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = this.newQueue<StepJob>(name);
      this.queues.set(name, queue);
    }
    return queue;
  }

  private newQueue<T>(name: string): Queue<T> {
    const queue = new Queue<T>(name, { connection: this.client, prefix: this.settings.prefix });
    queue.on('error', (error) => this.settings.log({ level: 'warn', message: `${name} queue`, error }));
    return queue;
  }
}

function depthOf(counts: Readonly<Record<string, number>>): QueueDepth {
  const count = (state: string) => counts[state] ?? 0;
  return {
    waiting: count('waiting'),
    active: count('active'),
    delayed: count('delayed'),
    prioritized: count('prioritized'),
    failed: count('failed'),
    completed: count('completed'),
  };
}

function dispatcherSettings(options: StepDispatcherOptions): DispatcherSettings {
  return {
    prefix: checkedPrefix(options.prefix),
    retention: options.retention ?? STEP_JOB_RETENTION,
    reportConcurrency: options.reportConcurrency ?? 16,
    reportRetry: options.reportRetry ?? DEFAULT_REPORT_RETRY,
    reportLockDurationMs: options.reportLockDurationMs ?? 30_000,
    stallIntervalMs: options.stallIntervalMs ?? 30_000,
    log: options.log ?? stderrQueueLog,
  };
}

/** Connects and returns a StepDispatcher on BullMQ. */
export function createStepDispatcher(options: StepDispatcherOptions): Promise<BullmqStepDispatcher> {
  return BullmqStepDispatcher.create(options);
}
