import { type SecretMasker, TemplateRenderError, errorMessage } from '@flowline/core';
import { type RunState, type StepKey, type StepOutcome, formatStepKey, renderStep } from '@flowline/engine';
import type { ExecutedStepType } from '@flowline/executors';
import type { CompiledWorkflow } from '@flowline/workflow';

import type { AttemptDirectories } from './attempt-dirs.js';
import { runAttempt } from './attempt.js';
import { LogWriter } from './log-writer.js';
import type { RunnerDeps } from './runner-deps.js';
import { workspaceConflict } from './workspace-conflicts.js';
import type { WorkspaceLock } from './workspace-lock.js';

export interface StepAttemptInput {
  readonly workflow: CompiledWorkflow;
  /** The run's state when the attempt starts: templates read it, the conflict check reads its ancestors. */
  readonly state: RunState;
  readonly key: StepKey;
  readonly attempt: number;
  readonly timeoutMs: number;
  /** The directory the attempt runs on, asked for only once the step has rendered (a worker builds it then). */
  readonly workspace: () => Promise<string>;
  readonly exclude: readonly string[];
  readonly secrets: Readonly<Record<string, string>>;
  readonly masker: SecretMasker;
  readonly signal: AbortSignal;
  readonly lock: WorkspaceLock;
  readonly dirs: () => Promise<AttemptDirectories>;
  /** Also shows the attempt's log lines (the terminal), besides storing them. */
  readonly echo?: (text: string) => void;
}

/**
 * One attempt of a step, as both drivers run it: the workspace conflict
 * check, rendering (a template that cannot render fails the attempt, not
 * retryable), then the logged attempt itself. A fault of the driver (an I/O
 * error, a bug) becomes the attempt's retryable `internal_error` rather than
 * being lost.
 */
export async function attemptStep(deps: RunnerDeps, input: StepAttemptInput): Promise<StepOutcome> {
  return attemptOrFail(deps, input).catch(driverFault);
}

/** A fault of the driver itself, reported as the attempt's retryable failure rather than lost. */
export function driverFault(error: unknown): StepOutcome {
  return { ok: false, error: { code: 'internal_error', message: errorMessage(error), retryable: true } };
}

async function attemptOrFail(deps: RunnerDeps, input: StepAttemptInput): Promise<StepOutcome> {
  const { workflow, state, key, attempt } = input;
  const conflict = workspaceConflict(workflow, state, key.step);
  if (conflict !== undefined) return { ok: false, error: conflict };
  let rendered;
  try {
    rendered = renderStep(workflow, state, key, attempt, input.timeoutMs, { secrets: input.secrets });
  } catch (error) {
    const code = error instanceof TemplateRenderError ? error.code : 'template_render_failed';
    return { ok: false, error: { code, message: input.masker.text(errorMessage(error)), retryable: false } };
  }
  const workspace = await input.workspace();
  const log = new LogWriter(deps.logs, state.runId, formatStepKey(key), attempt, input.masker, input.echo);
  try {
    return await runAttempt(deps, {
      runId: state.runId,
      step: workflow.steps.get(key.step)!,
      rendered: rendered as typeof rendered & { type: ExecutedStepType },
      workspace,
      exclude: input.exclude,
      secrets: input.secrets,
      signal: input.signal,
      log,
      masker: input.masker,
      lock: input.lock,
      dirs: await input.dirs(),
    });
  } finally {
    await log.close();
  }
}
