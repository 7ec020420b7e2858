import { type StepKey, formatStepKey } from '@flowline/engine';
import type { StepJob } from '@flowline/ports';

import type { RunView } from './run-view.js';

/** The queue message for one attempt of one step of a run, in the run's current generation. */
export function jobFor(view: Pick<RunView, 'record' | 'workflow' | 'state'>, key: StepKey, attempt: number): StepJob {
  const step = view.workflow.steps.get(key.step);
  if (step === undefined) throw new Error(`run ${view.record.runId} has no step ${formatStepKey(key)}`);
  return {
    runId: view.record.runId,
    workflowDigest: view.workflow.digest,
    key,
    attempt,
    generation: view.state.generation,
    stepType: step.type,
    timeoutMs: step.timeoutMs,
    priority: view.record.priority ?? view.workflow.priority,
  };
}
