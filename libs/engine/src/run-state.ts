import type { StepTable } from './step-table.js';

/**
 * Where one unit of work stands. `upstream_failed` is Airflow's: the step
 * cannot run because something it needs failed. It is kept apart from
 * `skipped` so that a `none_failed` join after a failure does not run.
 */
export type StepStatus =
  'pending' | 'running' | 'waiting_retry' | 'succeeded' | 'failed' | 'skipped' | 'upstream_failed' | 'cancelled';

export const TERMINAL_STATUSES: ReadonlySet<StepStatus> = new Set([
  'succeeded',
  'failed',
  'skipped',
  'upstream_failed',
  'cancelled',
]);

export function isTerminal(status: StepStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Why a step failed, as the executor or the scheduler saw it. */
export interface StepError {
  /** Stable, e.g. `exit_code`, `timeout`, `template_render_failed`, `budget_exhausted`. */
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  /** The least wait before trying again, when the other side said (HTTP Retry-After). */
  readonly retryAfterMs?: number;
}

/** One unit of work: a whole step, or one item of a `for_each` step. */
export interface WorkState {
  readonly status: StepStatus;
  /** Attempts started so far (0 before the first). */
  readonly attempt: number;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly error?: StepError;
  /** Why it was skipped, cancelled or could not run. */
  readonly reason?: string;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly cacheHit?: boolean;
  /** The digest of the change set a succeeded attempt committed (workers rebuild workspaces from these). */
  readonly changes?: string;
}

/** A step: its own state, and for a `for_each` step its items once they are known. */
export interface StepState extends WorkState {
  readonly items?: StepTable<WorkState>;
  /** The rendered `for_each` values, in order. */
  readonly itemValues?: readonly unknown[];
}

/** Money and tokens spent by agent steps so far, for `budget`. */
export interface Usage {
  readonly costUsd: number;
  readonly tokens: number;
}

/**
 * Everything the scheduler knows about a run. Immutable: each event gives a
 * new state that shares what did not change. Steps are indexed by their
 * declaration order in the compiled workflow.
 */
export interface RunState {
  readonly runId: string;
  readonly workflowDigest: string;
  readonly status: RunStatus;
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * How many times steps were reset (retry, dead-letter replay). Part of an
   * attempt's identity outside the scheduler: attempt numbers start again
   * after a reset, so a late report from before it must not count for the
   * attempt of the same number after it.
   */
  readonly generation: number;
  readonly steps: StepTable<StepState>;
  /** Steps not yet in a terminal status: the run finishes when this reaches 0. */
  readonly open: number;
  readonly usage: Usage;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly error?: StepError;
}
