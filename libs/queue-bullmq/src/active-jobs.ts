import { FlowlineError } from '@flowline/core';
import type { StepJob } from '@flowline/ports';
import type { Job } from 'bullmq';

import { stepJobId } from './job-id.js';

/**
 * Why a handler's signal aborted. `lock_lost` and `handed_back`: the job is
 * no longer this delivery's (another worker runs the attempt), so the
 * handler should stop and must not report. `cancelled`: the run was
 * cancelled (`cancelRunning`), so the handler should stop and report as
 * usual; the job completes.
 */
export type AbortCode = 'lock_lost' | 'handed_back' | 'cancelled';

const ABORT_MESSAGES: Readonly<Record<AbortCode, string>> = {
  lock_lost: "the job's lock was lost (the worker stalled or Redis lost it); the attempt will run elsewhere",
  handed_back: 'the consumer closed with force and handed the job back to the queue',
  cancelled: 'the run was cancelled',
};

/** The reason a consumer aborts a handler's signal with: a FlowlineError whose `code` is an AbortCode. */
export function abortReason(code: AbortCode): FlowlineError {
  return new FlowlineError(code, ABORT_MESSAGES[code], { retryable: code !== 'cancelled' });
}

/** Whether an abort reason means the job went back to the queue: the delivery's report is dropped. */
export function isHandBack(reason: unknown): boolean {
  const code = typeof reason === 'object' && reason !== null && 'code' in reason ? reason.code : undefined;
  return code === 'lock_lost' || code === 'handed_back';
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

  /** Aborts every running attempt of the run with `cancelled`; how many there were. */
  abortRun(runId: string): number {
    const running = this.all().filter((active) => active.job.data.runId === runId);
    for (const active of running) active.controller.abort(abortReason('cancelled'));
    return running.length;
  }

  all(): ActiveJob[] {
    return [...this.jobs.values()];
  }
}

function activeKey(queueName: string, jobId: string): string {
  return `${queueName}/${jobId}`;
}
