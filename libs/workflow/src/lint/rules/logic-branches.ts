import type { CompiledStep, CompiledWorkflow, ConditionalStep } from '../../compile/compiled-workflow.js';
import { isTruthyText } from '../../template/truthiness.js';
import { compiledStep } from './step-facts.js';

export type Branch = 'then' | 'else';

/**
 * The branch a conditional never takes, when its condition is plain text (no
 * `{{`) and so renders the same every run; undefined when it may take either.
 */
export function branchNeverTaken(step: ConditionalStep): Branch | undefined {
  if (!step.condition.isStatic) return undefined;
  return isTruthyText(step.condition.source) ? 'else' : 'then';
}

/** `if:` written as plain falsy text (`"false"`, `"0"`, `""`): the step is skipped every run. */
export function ifAlwaysFalse(step: CompiledStep): boolean {
  return step.if !== undefined && step.if.isStatic && !isTruthyText(step.if.source);
}

/** A step that waits, under all_success, on both branches of one conditional. */
export interface BranchConflict {
  readonly step: string;
  readonly conditional: string;
  /** The need that first tied the step to a branch (the step itself when it is listed in that branch)… */
  readonly first: { readonly need: string; readonly branch: Branch };
  /** …and the need that ties it to the other branch. */
  readonly second: { readonly need: string; readonly branch: Branch };
}

/** The branch of each conditional a step can run only in; `never` when it cannot run at all. */
type Requirements = ReadonlyMap<string, Branch> | 'never';

/**
 * Steps that can never run because one conditional's two branches meet in
 * them under trigger_rule all_success: only one branch runs, the other's
 * steps are skipped, and all_success skips a step with a skipped need.
 * Requirements pass only through all_success steps (and only all_success
 * branch members are bound to their branch: a member under another rule may
 * still run when its conditional failed or was skipped). A step that already
 * cannot run for another reason (a need that cannot, a branch never taken, an
 * always-false `if`) is not reported: its cause is reported where it is.
 */
export function branchConflicts(workflow: CompiledWorkflow): BranchConflict[] {
  const requirements = new Map<string, Requirements>();
  const conflicts: BranchConflict[] = [];
  for (const id of workflow.dag.order) {
    const step = compiledStep(workflow, id);
    const found = requirementsOf(workflow, step, requirements);
    const conflict = found !== 'never' && 'conditional' in found;
    requirements.set(id, conflict ? 'never' : found);
    if (conflict) conflicts.push(found);
  }
  return conflicts;
}

function requirementsOf(
  workflow: CompiledWorkflow,
  step: CompiledStep,
  known: ReadonlyMap<string, Requirements>,
): ReadonlyMap<string, Branch> | 'never' | BranchConflict {
  if (ifAlwaysFalse(step)) return 'never';
  if (step.triggerRule !== 'all_success') return new Map();
  if (step.needs.some((need) => known.get(need) === 'never')) return 'never';
  const own = new Map<string, { branch: Branch; need: string }>();
  for (const { conditional, branch } of step.branches) {
    if (branchNeverTaken(compiledStep(workflow, conditional) as ConditionalStep) === branch) return 'never';
    own.set(conditional, { branch, need: step.id });
  }
  for (const need of step.needs) {
    for (const [conditional, branch] of known.get(need) as ReadonlyMap<string, Branch>) {
      const first = own.get(conditional);
      if (first === undefined) own.set(conditional, { branch, need });
      else if (first.branch !== branch) return { step: step.id, conditional, first, second: { need, branch } };
    }
  }
  return new Map([...own].map(([conditional, { branch }]) => [conditional, branch]));
}
