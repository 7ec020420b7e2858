import { type RunState, type StepState, type WorkState, formatStepKey } from '@flowline/engine';
import type { RunRecord } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';

export interface StepSummary {
  readonly status: string;
  readonly attempts: number;
  readonly cache_hit: boolean;
  readonly duration_ms: number | null;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly error: { readonly code: string; readonly message: string } | null;
}

/**
 * `flowline run --json`: one object with the run's id, status and outputs
 * and every step, fan-out items as `<id>[i]` after their step. Secrets are
 * already masked in the state this reads.
 */
export function runSummary(workflow: CompiledWorkflow, record: RunRecord, state: RunState) {
  const steps: Record<string, StepSummary> = {};
  [...workflow.steps.keys()].forEach((id, index) => {
    const step: StepState = state.steps.get(index);
    steps[id] = unitSummary(step);
    step.items?.map((work, item) => (steps[formatStepKey({ step: id, item })] = unitSummary(work)));
  });
  return {
    run_id: record.runId,
    status: record.status,
    outputs: record.outputs ?? {},
    ...(record.error === undefined ? {} : { error: { code: record.error.code, message: record.error.message } }),
    steps,
  };
}

function unitSummary(work: WorkState): StepSummary {
  return {
    status: work.status,
    attempts: work.attempt,
    cache_hit: work.cacheHit === true,
    duration_ms:
      work.startedAt !== undefined && work.finishedAt !== undefined ? work.finishedAt - work.startedAt : null,
    outputs: work.outputs ?? {},
    error: work.error === undefined ? null : { code: work.error.code, message: work.error.message },
  };
}
