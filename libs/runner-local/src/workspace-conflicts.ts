import type { RunState, StepError, WorkState } from '@flowline/engine';
import { formatStepKey } from '@flowline/engine';
import type { CompiledWorkflow } from '@flowline/workflow';

/**
 * Before a step starts: did two of its ancestors that ran side by side
 * (neither needs the other, or two items of one fan-out) change the same
 * file? Then whichever committed last silently won, and the step would see
 * a mix: it fails instead, naming the file and both steps. Read from the
 * `files_changed` of each ancestor in the run state, so it survives resume.
 */
export function workspaceConflict(workflow: CompiledWorkflow, state: RunState, stepId: string): StepError | undefined {
  const ancestors = new Set(workflow.dag.ancestors(stepId));
  const touched = new Map<string, { step: string; unit: string }>();
  const ids = [...workflow.steps.keys()];
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    if (!ancestors.has(id)) continue;
    for (const { unit, paths } of unitsOf(id, state.steps.get(index))) {
      for (const path of paths) {
        const earlier = touched.get(path);
        const parallel =
          earlier !== undefined &&
          (earlier.step === id ||
            (!workflow.dag.isAncestor(earlier.step, id) && !workflow.dag.isAncestor(id, earlier.step)));
        if (parallel) return conflict(path, earlier.unit, unit);
        touched.set(path, { step: id, unit });
      }
    }
  }
  return undefined;
}

function unitsOf(id: string, step: WorkState & { items?: { map<U>(f: (w: WorkState, i: number) => U): U[] } }) {
  const units = step.items?.map((work, item) => ({ unit: formatStepKey({ step: id, item }), paths: changed(work) }));
  return units ?? [{ unit: id, paths: changed(step) }];
}

function changed(work: WorkState): readonly string[] {
  const files = work.status === 'succeeded' || work.status === 'failed' ? work.outputs?.['files_changed'] : undefined;
  return Array.isArray(files) ? files.filter((f): f is string => typeof f === 'string') : [];
}

function conflict(path: string, first: string, second: string): StepError {
  return {
    code: 'workspace_conflict',
    message: `${first} and ${second} ran in parallel and both changed ${path}; make one need the other, or have them change different files`,
    retryable: false,
  };
}
