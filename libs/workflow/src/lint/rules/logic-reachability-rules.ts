import type { ConditionalStep } from '../../compile/compiled-workflow.js';
import type { ConditionalStepDefinition } from '../../definition/workflow-definition.js';
import { listWords, quote } from '../../util/describe.js';
import type { LintContext, LintRule } from '../lint-rule.js';
import {
  type Branch,
  type BranchConflict,
  branchConflicts,
  branchNeverTaken,
  ifAlwaysFalse,
} from './logic-branches.js';
import { needPath } from './step-facts.js';

const OTHER: Record<Branch, Branch> = { then: 'else', else: 'then' };

export const unreachableStep: LintRule = {
  id: 'unreachable-step',
  category: 'logic',
  severity: 'error',
  summary:
    'A step that can never run: an always-false `if`, a branch never taken, or a join of both branches under all_success',
  docs: {
    why:
      'A step that never runs is dead code that looks alive: readers, reviews and tests assume it does its job. ' +
      'Three shapes are certain: an `if:` or a conditional `condition:` written as plain text (no `{{`) renders the ' +
      'same every run, so a falsy `if` skips its step and a constant condition never takes one of its branches; and ' +
      'a step that waits, under the default trigger_rule all_success, on steps from both the `then` and the `else` ' +
      'of one conditional (directly or through all_success needs) — one branch is always skipped, and all_success ' +
      'skips a step with a skipped need. Only the cause is reported; steps that wait on a dead step are not.',
    fix:
      'Make the condition a template that reads something (`{{inputs.deploy}}`), remove the dead step or branch, or ' +
      'give the join `trigger_rule: none_failed` (or `all_done`) so it runs after whichever branch ran.',
    bad: [
      'inputs: { fast: { type: boolean } }',
      'steps:',
      '  - { id: gate, type: conditional, condition: "{{inputs.fast}}", then: [quick], else: [full] }',
      '  - { id: quick, type: shell, run: make quick }',
      '  - { id: full, type: shell, run: make full }',
      '  - { id: report, type: shell, needs: [quick, full], run: make report }',
    ].join('\n'),
    good: [
      'inputs: { fast: { type: boolean } }',
      'steps:',
      '  - { id: gate, type: conditional, condition: "{{inputs.fast}}", then: [quick], else: [full] }',
      '  - { id: quick, type: shell, run: make quick }',
      '  - { id: full, type: shell, run: make full }',
      '  - { id: report, type: shell, needs: [quick, full], trigger_rule: none_failed, run: make report }',
    ].join('\n'),
  },
  check(context) {
    reportAlwaysFalseIfs(context);
    for (const conditional of conditionals(context)) reportDeadBranch(context, conditional);
    for (const conflict of branchConflicts(context.workflow)) reportConflict(context, conflict);
  },
};

function reportAlwaysFalseIfs(context: LintContext): void {
  for (const step of context.workflow.steps.values()) {
    if (!ifAlwaysFalse(step)) continue;
    context.report({
      message: `step "${step.id}": if is ${quote(step.if!.source)}, which is always false, so the step never runs; make it a template that reads something, or remove the step`,
      path: ['steps', context.indexOf(step.id), 'if'],
      stepId: step.id,
    });
  }
}

/** A constant condition whose untaken branch lists steps: they never run. */
function reportDeadBranch(context: LintContext, conditional: ConditionalStep): void {
  const dead = branchNeverTaken(conditional);
  if (dead === undefined || conditional[dead].length === 0) return;
  context.report({
    message: `step "${conditional.id}": condition ${quote(conditional.condition.source)} is always ${truth(OTHER[dead])}, so its ${dead} branch (${quotedList(conditional[dead])}) never runs; make the condition a template that reads something`,
    path: ['steps', context.indexOf(conditional.id), 'condition'],
    stepId: conditional.id,
  });
}

function reportConflict(context: LintContext, { step, conditional, first, second }: BranchConflict): void {
  const firstTie =
    first.need === step
      ? `is in the ${first.branch} branch of "${conditional}"`
      : `needs "${first.need}", which runs only when "${conditional}" takes ${first.branch},`;
  context.report({
    message: `step "${step}": ${firstTie} and needs "${second.need}", which runs only when it takes ${second.branch}; under trigger_rule all_success one is always skipped, so "${step}" never runs; use trigger_rule none_failed`,
    path: needPath(context, step, second.need),
    stepId: step,
  });
}

export const emptyBranch: LintRule = {
  id: 'empty-branch',
  category: 'logic',
  severity: 'warning',
  summary:
    'A conditional branch written as an empty list, or a constant condition that leaves the conditional nothing to decide',
  docs: {
    why:
      '`then: []` or `else: []` says "run these steps" and lists none: usually steps were meant to go there, or ' +
      'were moved away and the key was left behind. A condition written as plain text (no `{{`) is the same every ' +
      'run; when the branch it never takes is empty, the conditional always does the same thing and decides ' +
      'nothing. (When that branch lists steps, they never run: `unreachable-step` reports that, as an error.)',
    fix:
      'List the steps the branch should run, or leave the key out (a conditional needs only one of `then` and ' +
      '`else`). For a constant condition, drop the conditional and let its steps need what it needed.',
    bad: [
      'inputs: { publish: { type: boolean } }',
      'steps:',
      '  - { id: gate, type: conditional, condition: "{{inputs.publish}}", then: [publish], else: [] }',
      '  - { id: publish, type: shell, run: npm publish }',
    ].join('\n'),
    good: [
      'inputs: { publish: { type: boolean } }',
      'steps:',
      '  - { id: gate, type: conditional, condition: "{{inputs.publish}}", then: [publish] }',
      '  - { id: publish, type: shell, run: npm publish }',
    ].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      if (step.type === 'conditional') reportEmptyLists(context, step, index);
    });
    for (const conditional of conditionals(context)) reportNothingToDecide(context, conditional);
  },
};

function reportEmptyLists(context: LintContext, step: ConditionalStepDefinition, index: number): void {
  for (const branch of ['then', 'else'] as const) {
    if (step[branch]?.length !== 0) continue;
    context.report({
      message: `step "${step.id}": ${branch} is an empty list, so nothing runs when the condition is ${truth(branch)}; list the steps to run or leave ${branch} out`,
      path: ['steps', index, branch],
      stepId: step.id,
    });
  }
}

function reportNothingToDecide(context: LintContext, conditional: ConditionalStep): void {
  const dead = branchNeverTaken(conditional);
  if (dead === undefined || conditional[dead].length > 0) return;
  context.report({
    message: `step "${conditional.id}": condition ${quote(conditional.condition.source)} is always ${truth(OTHER[dead])} and its ${dead} branch is empty, so the conditional decides nothing; remove it and let its ${OTHER[dead]} steps need what it needs`,
    path: ['steps', context.indexOf(conditional.id), 'condition'],
    stepId: conditional.id,
  });
}

function conditionals(context: LintContext): ConditionalStep[] {
  return [...context.workflow.steps.values()].filter((step) => step.type === 'conditional');
}

/** The value of the condition when `branch` is taken: `then` runs on true. */
function truth(branch: Branch): 'true' | 'false' {
  return branch === 'then' ? 'true' : 'false';
}

function quotedList(ids: readonly string[]): string {
  return listWords(
    ids.map((id) => `"${id}"`),
    'and',
  );
}
