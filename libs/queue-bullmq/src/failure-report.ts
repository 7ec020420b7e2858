import type { StepJob, StepReport } from '@flowline/ports';

/**
 * Why the queue itself reports an attempt failed, when its handler could not:
 * `worker_error` — the handler threw (a worker bug or an unreachable store);
 * `worker_lost` — workers running it stopped answering more often than the stall limit allows.
 * Both are retryable: the run's retry policy decides, as for any failed attempt.
 */
export type QueueFailureCode = 'worker_error' | 'worker_lost';

export function failureReport(
  job: StepJob,
  times: { readonly startedAt: number; readonly finishedAt: number },
  worker: string,
  code: QueueFailureCode,
  message: string,
): StepReport {
  return {
    job,
    startedAt: times.startedAt,
    finishedAt: times.finishedAt,
    outcome: { ok: false, error: { code, message, retryable: true } },
    worker,
  };
}
