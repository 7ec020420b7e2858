import type { CompiledStep, CompiledWorkflow } from '@flowline/workflow';

/**
 * A compiled workflow as the scheduler walks it: steps by index (declaration
 * order), and each step's parents and children as indexes. Built once per
 * workflow and cached, since a coordinator applies many events to many runs
 * of the same workflow.
 */
export interface EnginePlan {
  readonly workflow: CompiledWorkflow;
  readonly steps: readonly CompiledStep[];
  readonly indexOf: ReadonlyMap<string, number>;
  readonly parents: readonly (readonly number[])[];
  readonly children: readonly (readonly number[])[];
}

const plans = new WeakMap<CompiledWorkflow, EnginePlan>();

export function planFor(workflow: CompiledWorkflow): EnginePlan {
  let plan = plans.get(workflow);
  if (plan === undefined) {
    const steps = [...workflow.steps.values()];
    const indexOf = new Map(steps.map((step, i) => [step.id, i]));
    const index = (id: string) => indexOf.get(id)!;
    plan = {
      workflow,
      steps,
      indexOf,
      parents: steps.map((step) => step.needs.map(index)),
      children: steps.map((step) => workflow.dag.children(step.id).map(index)),
    };
    plans.set(workflow, plan);
  }
  return plan;
}

export function stepIndex(plan: EnginePlan, id: string): number {
  const index = plan.indexOf.get(id);
  if (index === undefined) throw new Error(`workflow ${plan.workflow.name} has no step "${id}"`);
  return index;
}
