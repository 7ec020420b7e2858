import { errorMessage } from '@flowline/core';

import { renderAt } from './render-context.js';
import type { StepError } from './run-state.js';
import type { Transition } from './transition.js';

/**
 * When no step is open, the run ends: failed if a step failed (one with
 * continue_on_error does not count), else succeeded; then the workflow's
 * outputs are rendered. An output that cannot be rendered fails the run
 * with the reason, rather than quietly going missing.
 */
export function finishRunIfDone(t: Transition): void {
  if (t.status !== 'running' || t.open > 0) return;
  const failed = t.plan.steps.findIndex((step, i) => t.step(i).status === 'failed' && !step.continueOnError);
  let error: StepError | undefined =
    failed === -1
      ? undefined
      : {
          code: 'step_failed',
          message: `step ${t.plan.steps[failed]!.id} failed: ${t.step(failed).error?.message ?? 'failed'}`,
          retryable: false,
        };
  const outputs: Record<string, string> = {};
  for (const [name, template] of Object.entries(t.plan.workflow.outputs)) {
    try {
      outputs[name] = renderAt(t.plan, t.snapshot(), template, {}, t.runtime);
    } catch (renderError) {
      error ??= {
        code: 'output_render_failed',
        message: `output ${name}: ${errorMessage(renderError)}`,
        retryable: false,
      };
    }
  }
  t.status = error === undefined ? 'succeeded' : 'failed';
  t.outputs = outputs;
  t.error = error;
  t.finishedAt = t.at;
  t.emit({ type: 'finish_run', status: t.status, outputs, ...(error === undefined ? {} : { error }) });
}
