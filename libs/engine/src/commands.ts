import type { RunStatus, StepError } from './run-state.js';
import type { StepKey } from './step-key.js';

/**
 * What the scheduler asks its driver to do. Drivers carry commands out and
 * report back with events; they make no decisions of their own.
 */
export type EngineCommand =
  | { readonly type: 'start_step'; readonly key: StepKey; readonly attempt: number; readonly timeoutMs: number }
  /** Wait `delayMs`, then deliver `retry_due` for `attempt`. */
  | { readonly type: 'schedule_retry'; readonly key: StepKey; readonly attempt: number; readonly delayMs: number }
  | { readonly type: 'cancel_step'; readonly key: StepKey; readonly attempt: number }
  | {
      readonly type: 'finish_run';
      readonly status: RunStatus;
      readonly outputs: Readonly<Record<string, string>>;
      readonly error?: StepError;
    };
