import { FlowlineError } from '@flowline/core';
import type { StepJob } from '@flowline/ports';
import type { Job } from 'bullmq';

import { stepJobId } from './job-id.js';

/** Why a handler's signal aborted; the handler should stop, and must not report (another worker will run the attempt). */
export type AbortCode = 'lock_lost' | 'handed_back';

/** The reason a consumer aborts a handler's signal with: a FlowlineError whose `code` is an AbortCode. */
export function abortReason(code: AbortCode): FlowlineError {
  const message =
    code === 'lock_lost'
      ? "the job's lock was lost (the worker stalled or Redis lost it); the attempt will run elsewhere"
      : 'the consumer closed with force and handed the job back to the queue';
  return new FlowlineError(code, message, { retryable: true });
}

/** A job this consumer is running. */
export interface ActiveJob {
  readonly job: Job<StepJob>;
  /** BullMQ's lock token of this delivery. */
  readonly token: string | undefined;
  readonly startedAt: number;
  readonly controller: AbortController;
  /** The handler's report went out: a later handler error is not reported again. */
  reported: boolean;
}

/** The jobs a consumer's handlers are running, by queue and job id. */
export class ActiveJobs {
  private readonly jobs = new Map<string, ActiveJob>();

  start(job: Job<StepJob>, token: string | undefined, startedAt: number): ActiveJob {
    const active: ActiveJob = { job, token, startedAt, controller: new AbortController(), reported: false };
    this.jobs.set(activeKey(job.queueName, job.id ?? ''), active);
    return active;
  }

  end(active: ActiveJob): void {
    const key = activeKey(active.job.queueName, active.job.id ?? '');
    if (this.jobs.get(key) === active) this.jobs.delete(key);
  }

  /** The delivery running the attempt `job` names, if it runs here. */
  find(job: StepJob): ActiveJob | undefined {
    return this.jobs.get(activeKey(job.stepType, stepJobId(job)));
  }

  abort(queueName: string, jobId: string, code: AbortCode): void {
    this.jobs.get(activeKey(queueName, jobId))?.controller.abort(abortReason(code));
  }

  all(): ActiveJob[] {
    return [...this.jobs.values()];
  }
}

function activeKey(queueName: string, jobId: string): string {
  return `${queueName}/${jobId}`;
}
