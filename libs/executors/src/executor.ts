import type { RenderedStep, StepOutcome } from '@flowline/engine';
import type { ChangeCapture, Sandbox } from '@flowline/sandbox';

import type { ExecutorConfig } from './executor-config.js';

/** Why an attempt's signal was aborted: the scheduler cancelled it, or its timeout passed. */
export type AbortReason = 'cancelled' | 'timeout';

/** Everything an executor may use besides the rendered step. */
export interface ExecutionContext {
  readonly runId: string;
  /** The run's workspace (host path). Paths in the step are relative to it. */
  readonly workspace: string;
  /** A private, empty directory for this attempt (outside the workspace), removed afterwards. */
  readonly scratchDir: string;
  /** The declared secrets' values, for the step's process environment. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Aborted on cancel or timeout; `signal.reason` is an AbortReason. Executors end their work promptly. */
  readonly signal: AbortSignal;
  readonly sandbox: Sandbox;
  /** Set when the driver captures this attempt's workspace writes through the sandbox. */
  readonly capture?: ChangeCapture;
  readonly config: ExecutorConfig;
  /** The attempt's log (stdout, stderr, Flowline's notes). The driver masks secrets before storing. */
  log(stream: 'stdout' | 'stderr' | 'system', text: string): void;
}

/**
 * Runs one attempt of one step type. Never throws for a step's own failure:
 * that is an outcome with a stable error code and a `retryable` verdict.
 * `version` goes into cache keys: bump it when the outputs it produces for
 * the same input change.
 */
export interface Executor<S extends RenderedStep = RenderedStep> {
  readonly type: S['type'];
  readonly version: string;
  execute(step: S, context: ExecutionContext): Promise<StepOutcome>;
}
