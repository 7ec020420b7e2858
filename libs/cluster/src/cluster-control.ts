import type { RunRecord } from '@flowline/ports';
import type { WorkflowBundle } from '@flowline/workflow';

export interface SubmitRequest {
  readonly runId: string;
  readonly bundle: WorkflowBundle;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** 1 (lowest) to 10; the workflow's own priority when absent. */
  readonly priority?: number;
}

/**
 * What the HTTP API and the CLI may ask of the cluster that changes a run.
 * Reads (records, logs, dead letters, queue depths) go straight to the
 * stores. Failures are FlowlineErrors with these codes, which the API maps
 * to statuses: `invalid_workflow` and `invalid_inputs` (400), `unknown_run`,
 * `unknown_step` and `unknown_dead_letter` (404), `run_running`,
 * `run_finished`, `nothing_to_retry` (409).
 */
export interface ClusterControl {
  /** Validates, stores the workflow, creates the run and queues its first steps (or queues the run behind its concurrency group). */
  submit(request: SubmitRequest): Promise<RunRecord>;
  /** Cancels a running or queued run: queued attempts are withdrawn, running ones are told to stop. */
  cancel(runId: string, reason?: string): Promise<RunRecord>;
  /** Runs a finished run's failed steps again, or `from` and everything downstream of it. */
  retry(runId: string, options?: { readonly from?: string }): Promise<RunRecord>;
  /** Resumes a dead letter's run from its step, optionally with some run inputs replaced; removes the letter. */
  replayDeadLetter(id: string, options?: { readonly inputs?: Readonly<Record<string, unknown>> }): Promise<RunRecord>;
}
