import { FlowlineError, errorMessage } from '@flowline/core';
import { formatStepKey } from '@flowline/engine';
import type { StepConsumer, StepJob, StepReport } from '@flowline/ports';
import { type Job, Queue, WaitingError, Worker } from 'bullmq';

import { type ActiveJob, ActiveJobs, abortReason, isHandBack } from './active-jobs.js';
import { type CancelSubscription, subscribeCancels } from './cancel-channel.js';
import { failureReport } from './failure-report.js';
import { REPORT_RETENTION, type Retention, reportJobOptions } from './job-options.js';
import { type QueueLog, stderrQueueLog } from './queue-log.js';
import { REPORTS_QUEUE, stepQueueName } from './queue-names.js';
import { type RedisClient, type RedisTarget, checkedPrefix, closeRedis, connectRedis } from './redis-client.js';

export interface StepConsumerOptions extends RedisTarget {
  /** This worker's name: stored on each job it takes (`processedBy`) and in its reports. */
  readonly workerId: string;
  /**
   * How long a job's lock lasts without renewal; BullMQ renews it every half
   * of this while the handler runs, so steps may run for hours. A worker that
   * dies (or freezes) for longer loses the job to another. Default 30 s.
   */
  readonly lockDurationMs?: number;
  /** How often workers look for jobs whose lock expired (stalled). Default 30 s. */
  readonly stallIntervalMs?: number;
  /** Times an attempt may stall and go back to the queue; once more, it is reported `worker_lost`. Default 2. */
  readonly maxStalledCount?: number;
  readonly reportRetention?: Retention;
  readonly log?: QueueLog;
  readonly clock?: () => number;
}

type Handler = (job: StepJob, signal: AbortSignal) => Promise<void>;

interface ConsumerSettings {
  readonly workerId: string;
  readonly prefix: string;
  readonly lockDurationMs: number;
  readonly stallIntervalMs: number;
  readonly maxStalledCount: number;
  readonly reportRetention: Retention;
  readonly log: QueueLog;
  readonly clock: () => number;
}

/**
 * The worker's side of the queue on BullMQ: one BullMQ Worker per step type
 * consumed, all sharing one Redis connection (each adds its own blocking
 * one), and a producer for reports.
 *
 * A delivery ends one of three ways. The handler resolves: the job is
 * complete. The handler throws: the attempt is reported failed
 * (`worker_error`) on the handler's behalf and the job fails — BullMQ never
 * runs it again, the scheduler's retry policy decides. The signal aborted
 * (lock lost, forced close): the job is left to its new owner, and a report
 * the handler still sends is dropped.
 *
 * Cancellations arrive on a pub/sub subscription of their own
 * (cancel-channel.ts): the signals of the run's running jobs abort with
 * `cancelled`, the handlers stop and report, and their jobs complete.
 */
export class BullmqStepConsumer implements StepConsumer {
  private readonly workers = new Map<string, Worker<StepJob>>();
  private readonly handbacks = new Set<Promise<void>>();
  private readonly reports: Queue<StepReport>;
  private closing: 'graceful' | 'force' | undefined;
  private closed: Promise<void> | undefined;

  /** Connects to Redis (failing after `connectTimeoutMs`) and returns a consumer that takes no work until `consume`. */
  static async create(options: StepConsumerOptions): Promise<BullmqStepConsumer> {
    const settings = consumerSettings(options);
    const client = await connectRedis(options, settings.log);
    const active = new ActiveJobs();
    try {
      const cancels = await subscribeCancels(client, settings.prefix, (runId) => active.abortRun(runId), settings.log);
      return new BullmqStepConsumer(settings, client, active, cancels);
    } catch (error) {
      await closeRedis(client);
      throw error;
    }
  }

  private constructor(
    private readonly settings: ConsumerSettings,
    private readonly client: RedisClient,
    private readonly active: ActiveJobs,
    private readonly cancels: CancelSubscription,
  ) {
    this.reports = new Queue<StepReport>(REPORTS_QUEUE, { connection: client, prefix: settings.prefix });
    this.reports.on('error', (error) => this.settings.log({ level: 'warn', message: 'reports queue', error }));
  }

  /** Concurrency is per step type: consuming `shell` and `claude_code` with 4 runs up to 4 of each. */
  consume(stepTypes: readonly string[], concurrency: number, handle: Handler): void {
    if (this.closing !== undefined) throw new FlowlineError('consumer_closed', 'the consumer is closed');
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new FlowlineError('invalid_concurrency', `concurrency must be a positive integer, not ${concurrency}`);
    }
    const names = stepTypes.map(stepQueueName);
    const taken = names.find((name) => this.workers.has(name));
    if (taken !== undefined) throw new FlowlineError('already_consuming', `already consuming the ${taken} queue`);
    for (const name of names) this.workers.set(name, this.startWorker(name, concurrency, handle));
  }

  async report(report: StepReport): Promise<void> {
    const active = this.active.find(report.job);
    if (active !== undefined && this.handedBack(active)) {
      const message = `dropped a report: ${errorMessage(active.controller.signal.reason)}`;
      this.settings.log({ level: 'warn', message, jobId: active.job.id });
      return;
    }
    await this.sendReport(report);
    if (active !== undefined) active.reported = true;
  }

  /**
   * Graceful: takes no more jobs and waits for running handlers. Forced:
   * aborts their signals with `handed_back` and puts their jobs back in the
   * queue at once for another worker; a later forced call escalates a
   * graceful close in progress.
   */
  close(options: { readonly force?: boolean } = {}): Promise<void> {
    if (options.force === true && this.closing !== 'force') {
      this.closing = 'force';
      for (const active of this.active.all()) void this.handBack(active.job, active.token, active.controller);
    }
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing ??= 'graceful';
    await Promise.all([...this.workers.values()].map((worker) => worker.close(this.closing === 'force')));
    await Promise.all(this.handbacks);
    await this.cancels.close();
    await this.reports.close();
    await closeRedis(this.client);
  }

  private startWorker(name: string, concurrency: number, handle: Handler): Worker<StepJob> {
    const { settings } = this;
    const worker = new Worker<StepJob>(name, (job, token) => this.process(job, token, handle), {
      connection: this.client,
      prefix: settings.prefix,
      name: settings.workerId,
      concurrency,
      lockDuration: settings.lockDurationMs,
      stalledInterval: settings.stallIntervalMs,
      maxStalledCount: settings.maxStalledCount,
    });
    worker.on('error', (error) => settings.log({ level: 'warn', message: `${name} worker`, error }));
    worker.on('lockRenewalFailed', (jobIds) => {
      for (const jobId of jobIds) this.active.abort(name, jobId, 'lock_lost');
    });
    // A job failed without reaching a handler: BullMQ's stall limit (`deferredFailure`).
    worker.on('failed', (job) => {
      if (job?.deferredFailure !== undefined) void this.reportLost(job);
    });
    return worker;
  }

  private async process(job: Job<StepJob>, token: string | undefined, handle: Handler): Promise<void> {
    if (this.closing === 'force') {
      await this.handBack(job, token, new AbortController());
      throw new WaitingError();
    }
    const active = this.active.start(job, token, this.settings.clock());
    try {
      await handle(job.data, active.controller.signal);
    } catch (error) {
      return await this.handlerFailed(active, error);
    } finally {
      this.active.end(active);
    }
    // Resolved after its job went back to the queue: it belongs to another delivery now; leave its state alone.
    if (this.handedBack(active)) throw new WaitingError();
  }

  /**
   * The job went back to the queue (lost lock, forced close) and another
   * delivery owns its state and report. A cancelled job has not: it
   * completes, and its report goes out.
   */
  private handedBack(active: ActiveJob): boolean {
    const { signal } = active.controller;
    return signal.aborted && (isHandBack(signal.reason) || this.closing === 'force');
  }

  private async handlerFailed(active: ActiveJob, error: unknown): Promise<never> {
    if (this.handedBack(active)) throw new WaitingError();
    const jobId = active.job.id;
    this.settings.log({ level: 'error', message: 'step handler threw; reporting the attempt failed', error, jobId });
    if (!active.reported) {
      const times = { startedAt: active.startedAt, finishedAt: this.settings.clock() };
      const report = failureReport(active.job.data, times, this.settings.workerId, 'worker_error', errorMessage(error));
      try {
        await this.sendReport(report);
      } catch (reportError) {
        // No report can go out: leave the job to stall, so another worker runs the attempt and reports.
        this.settings.log({ level: 'error', message: 'could not report a failed attempt', error: reportError, jobId });
        throw new WaitingError();
      }
    }
    // The job fails for good (attempts: 1): retrying is the scheduler's decision, taken on the report.
    throw new FlowlineError('worker_error', errorMessage(error), { cause: error });
  }

  /** Aborts the handler and puts the job back in the queue (keeping its priority), releasing its lock. */
  private handBack(job: Job<StepJob>, token: string | undefined, controller: AbortController): Promise<void> {
    controller.abort(abortReason('handed_back'));
    const done = job
      .moveToWait(token)
      .then(() => undefined)
      .catch((error: unknown) => {
        // The lock will expire instead and the job come back as stalled.
        this.settings.log({ level: 'warn', message: 'could not hand a job back', error, jobId: job.id });
      });
    this.handbacks.add(done);
    return done;
  }

  private async reportLost(job: Job<StepJob>): Promise<void> {
    const now = this.settings.clock();
    const message = `the attempt's worker stopped answering ${job.stalledCounter} times (${job.deferredFailure})`;
    const report = failureReport(
      job.data,
      { startedAt: job.processedOn ?? now, finishedAt: now },
      this.settings.workerId,
      'worker_lost',
      message,
    );
    await this.sendReport(report).catch((error: unknown) => {
      this.settings.log({ level: 'error', message: 'could not report a lost attempt', error, jobId: job.id });
    });
  }

  private async sendReport(report: StepReport): Promise<void> {
    const name = `${formatStepKey(report.job.key)}#${report.job.attempt}`;
    await this.reports.add(name, report, reportJobOptions(this.settings.reportRetention));
  }
}

function consumerSettings(options: StepConsumerOptions): ConsumerSettings {
  return {
    workerId: options.workerId,
    prefix: checkedPrefix(options.prefix),
    lockDurationMs: options.lockDurationMs ?? 30_000,
    stallIntervalMs: options.stallIntervalMs ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
    reportRetention: options.reportRetention ?? REPORT_RETENTION,
    log: options.log ?? stderrQueueLog,
    clock: options.clock ?? Date.now,
  };
}

/** Connects and returns a StepConsumer on BullMQ. */
export function createStepConsumer(options: StepConsumerOptions): Promise<BullmqStepConsumer> {
  return BullmqStepConsumer.create(options);
}
