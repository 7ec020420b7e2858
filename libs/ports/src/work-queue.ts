import type { StepOutcome, StepKey } from '@flowline/engine';

/**
 * One attempt of one step, as a queued message: what a worker needs to find
 * the run, render the step and run it. Plain JSON. Its identity is
 * (runId, key, generation, attempt): enqueueing the same attempt twice
 * queues it once.
 */
export interface StepJob {
  readonly runId: string;
  readonly workflowDigest: string;
  readonly key: StepKey;
  readonly attempt: number;
  /** The run's generation (RunState.generation): attempt numbers start again after a retry. */
  readonly generation: number;
  /** Which queue: one per step type, so agent steps scale apart from cheap ones. */
  readonly stepType: string;
  readonly timeoutMs: number;
  /** The run's priority, 1 (lowest) to 10. */
  readonly priority: number;
}

/** What a worker reports when an attempt ends. Its identity is the job's. */
export interface StepReport {
  readonly job: StepJob;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly outcome: StepOutcome;
  /** The worker that ran it, for logs and dead letters. */
  readonly worker: string;
}

/** Counts per state of one queue, for /metrics and /readyz. */
export interface QueueDepth {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly prioritized: number;
  readonly failed: number;
  readonly completed: number;
}

/**
 * The coordinator's side of the queue: steps go out, reports come back.
 * Every method is idempotent by job identity, because a coordinator that
 * crashed mid-transition repeats what it had started.
 */
export interface StepDispatcher {
  /** Queues an attempt, after `delayMs` when given (a retry's backoff is a delayed job, not a sleep). */
  enqueue(job: StepJob, options?: { readonly delayMs?: number }): Promise<void>;
  /** Takes back an attempt that has not started (cancel). True when it was still queued. */
  withdraw(job: StepJob): Promise<boolean>;
  /**
   * Tells every worker to abort the run's running attempts (their signals
   * abort with code `cancelled`). Best effort: a worker that misses it is
   * caught when its report finds the run cancelled. Call it after the
   * cancel is recorded, so a worker taking a job of the run afterwards
   * finds the run cancelled.
   */
  cancelRunning(runId: string): Promise<void>;
  /** Consumes reports until closed; a report is acknowledged only after `handle` resolves. */
  consumeReports(handle: (report: StepReport) => Promise<void>): void;
  depths(): Promise<Readonly<Record<string, QueueDepth>>>;
  close(): Promise<void>;
}

/** The worker's side: attempts come in, reports go out. */
export interface StepConsumer {
  /**
   * Runs `handle` for attempts of the given step types, `concurrency` at a
   * time. The signal aborts when the job's lock is lost or the consumer
   * closes with force (the attempt runs elsewhere: do not report), or when
   * its run is cancelled (`cancelRunning`: stop, and report as usual); a
   * job whose handler resolved is complete.
   */
  consume(
    stepTypes: readonly string[],
    concurrency: number,
    handle: (job: StepJob, signal: AbortSignal) => Promise<void>,
  ): void;
  report(report: StepReport): Promise<void>;
  /** Stops taking work; waits for running handlers (graceful shutdown) unless `force`. */
  close(options?: { readonly force?: boolean }): Promise<void>;
}
