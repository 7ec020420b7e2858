import type { StepError } from './run-state.js';
import type { StepKey } from './step-key.js';

/** What an executor reports when an attempt ends. */
export type StepOutcome =
  | {
      readonly ok: true;
      readonly outputs: Readonly<Record<string, unknown>>;
      readonly cacheHit?: boolean;
      /** The content digest of the change set the attempt committed to the workspace, when it changed files. */
      readonly changes?: string;
      readonly usage?: { readonly costUsd: number; readonly tokens: number };
    }
  | {
      readonly ok: false;
      readonly error: StepError;
      readonly outputs?: Readonly<Record<string, unknown>>;
      readonly usage?: { readonly costUsd: number; readonly tokens: number };
    };

/**
 * Everything that can happen to a run. Time arrives in events (`at`, epoch
 * milliseconds): the scheduler never reads a clock. Events name the attempt
 * they concern, so a late or repeated event for an attempt that is over
 * changes nothing.
 */
export type EngineEvent =
  | { readonly type: 'step_started'; readonly key: StepKey; readonly attempt: number; readonly at: number }
  | {
      readonly type: 'step_finished';
      readonly key: StepKey;
      readonly attempt: number;
      readonly at: number;
      readonly outcome: StepOutcome;
    }
  /** The delay before `attempt` has passed. */
  | { readonly type: 'retry_due'; readonly key: StepKey; readonly attempt: number; readonly at: number }
  | { readonly type: 'run_cancelled'; readonly at: number; readonly reason?: string }
  /**
   * `flowline retry`: these steps (see stepsToRetry) go back to pending with
   * fresh attempts, the run is running again, and every other step keeps its
   * record. Applies to a finished run too.
   */
  | {
      readonly type: 'steps_reset';
      readonly steps: readonly string[];
      readonly at: number;
      /** Dead-letter replay with patched inputs: the run's inputs from here on, already resolved. */
      readonly inputs?: Readonly<Record<string, unknown>>;
    };
