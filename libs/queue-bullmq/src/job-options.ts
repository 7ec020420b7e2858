import { FlowlineError } from '@flowline/core';
import type { StepJob } from '@flowline/ports';
import type { JobsOptions, KeepJobs } from 'bullmq';

import { stepJobId } from './job-id.js';

/** How long finished jobs stay in Redis: for bull-board and inspection only, the state store is the record. */
export interface KeepFinished {
  readonly ageMs: number;
  readonly count: number;
}

/** Retention of one kind of job: BullMQ trims by age and by count, whichever bites first. */
export interface Retention {
  readonly completed: KeepFinished;
  readonly failed: KeepFinished;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Step jobs: an hour of completed ones; a failed one (a worker bug, a lost worker) a week, to look into. */
export const STEP_JOB_RETENTION: Retention = {
  completed: { ageMs: HOUR_MS, count: 10_000 },
  failed: { ageMs: 7 * DAY_MS, count: 10_000 },
};

/** Reports are worthless once applied; failed ones exist only after `REPORT_ATTEMPTS` failures. */
export const REPORT_RETENTION: Retention = {
  completed: { ageMs: HOUR_MS, count: 1_000 },
  failed: { ageMs: 7 * DAY_MS, count: 10_000 },
};

/**
 * A report is retried until the coordinator applies it: a report dropped is
 * a run that never finishes. A million attempts at the capped backoff is
 * most of a year; the number only exists because BullMQ wants one.
 */
export const REPORT_ATTEMPTS = 1_000_000;

/** The name of the report backoff, resolved by the reports worker's `backoffStrategy`. */
export const REPORT_BACKOFF = 'flowline-report';

/** Backoff between deliveries of a report whose handler failed: doubling from `delayMs`, capped at `maxDelayMs`. */
export interface ReportRetry {
  readonly delayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_REPORT_RETRY: ReportRetry = { delayMs: 1_000, maxDelayMs: 30_000 };

/**
 * BullMQ serves priority 1 first, and priority 0 ("none") from a plain list
 * ahead of every prioritized job; so every step job gets a priority, the
 * run's turned around: 10 (most urgent) → 1, 1 → 10.
 */
export function bullPriority(runPriority: number): number {
  if (!Number.isInteger(runPriority) || runPriority < 1 || runPriority > 10) {
    throw new FlowlineError('invalid_priority', `a run's priority is an integer from 1 to 10, not ${runPriority}`);
  }
  return 11 - runPriority;
}

/** Options of an attempt's job: its identity, priority, delay, no BullMQ retries (the scheduler owns retries). */
export function stepJobOptions(job: StepJob, delayMs: number | undefined, retention: Retention): JobsOptions {
  return {
    jobId: stepJobId(job),
    priority: bullPriority(job.priority),
    ...(delayMs !== undefined && delayMs > 0 ? { delay: Math.ceil(delayMs) } : {}),
    attempts: 1,
    removeOnComplete: keepJobs(retention.completed),
    removeOnFail: keepJobs(retention.failed),
  };
}

/**
 * Options of a report's job. Its id is BullMQ's own counter, not the
 * attempt's: two reports of one attempt are both delivered and the
 * coordinator applies the first (its conditional append is the dedup).
 */
export function reportJobOptions(retention: Retention): JobsOptions {
  return {
    attempts: REPORT_ATTEMPTS,
    backoff: { type: REPORT_BACKOFF },
    removeOnComplete: keepJobs(retention.completed),
    removeOnFail: keepJobs(retention.failed),
  };
}

/** The wait before delivering a report again after its `attemptsMade`-th failed delivery. */
export function reportDelayMs(retry: ReportRetry, attemptsMade: number): number {
  return Math.min(retry.delayMs * 2 ** Math.max(0, attemptsMade - 1), retry.maxDelayMs);
}

function keepJobs(keep: KeepFinished): KeepJobs {
  return { age: Math.ceil(keep.ageMs / 1000), count: keep.count };
}
