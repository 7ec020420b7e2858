import { type RunState, type StepState, type WorkState, stepView } from '@flowline/engine';
import type { CompiledWorkflow } from '@flowline/workflow';

import type { ExpectedStepStatus } from '../spec/test-spec.js';

/** How one step (or item) ended, as expectations see it. */
export interface StepFacts {
  /** The engine's status, with a succeeded cache hit called `cached`. */
  readonly status: ExpectedStepStatus | 'pending' | 'running' | 'waiting_retry';
  /** The status, and why when it did not succeed: `failed (exit_code: exit code 1)`. */
  readonly shown: string;
  /** As templates read `steps.<id>.outputs`: the common outputs included, `items` for a fan-out step. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** The facts of step `id` (item `item`), or why there are none (an item the run never had). */
export function stepFacts(
  workflow: CompiledWorkflow,
  state: RunState,
  id: string,
  item: number | undefined,
): StepFacts | string {
  const step = state.steps.get([...workflow.steps.keys()].indexOf(id));
  const outputs = stepView(step).outputs as Record<string, unknown>;
  if (item === undefined) return factsOf(step, cachedStep(step), outputs);
  const count = step.items?.length ?? 0;
  if (item >= count) return `no item ${item}: the step ran ${count} item${count === 1 ? '' : 's'}`;
  const work = step.items!.get(item);
  const itemOutputs = (outputs['items'] as Record<string, unknown>[] | undefined)?.[item] ?? {};
  return factsOf(work, work.cacheHit === true, itemOutputs);
}

function factsOf(work: WorkState, cached: boolean, outputs: Record<string, unknown>): StepFacts {
  const status = work.status === 'succeeded' && cached ? 'cached' : work.status;
  const why = work.error === undefined ? work.reason : `${work.error.code}: ${work.error.message}`;
  return { status, shown: why === undefined ? status : `${status} (${why})`, outputs };
}

/** A step is cached when its attempt was a cache hit; a fan-out step when every item's was. */
function cachedStep(step: StepState): boolean {
  if (step.items === undefined) return step.cacheHit === true;
  return step.items.length > 0 && step.items.map((work) => work.cacheHit === true).every(Boolean);
}
