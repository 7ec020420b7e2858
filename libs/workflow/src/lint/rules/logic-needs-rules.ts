import type { CompiledWorkflow } from '../../compile/compiled-workflow.js';
import type { LintContext, LintRule } from '../lint-rule.js';
import { independenceReason } from './logic-independent-needs.js';
import { inSerialChain } from './perf-serial-chains.js';
import { compiledStep } from './step-facts.js';

export const needlessNeeds: LintRule = {
  id: 'needless-needs',
  category: 'logic',
  severity: 'warning',
  summary: 'A `needs` entry that only makes two steps wait for each other: the dependent uses nothing the need makes',
  docs: {
    why: [
      'Every `needs` entry makes a step wait. When the dependent reads nothing of the need and the need cannot ' +
        'change what the dependent sees, the entry only serializes two steps that could run at once, and the run ' +
        'takes longer for nothing. Whether a step "sees" another cannot be known in general, so this heuristic ' +
        'speaks only when all of these hold:',
      '',
      '- the dependent runs under the default trigger rule all_success (other rules are written to react to how ' +
        'the needs ended);',
      '- neither the dependent nor any step after it reads `steps.<need>`, nor a step before the need that only ' +
        'this entry connects it to (a step may read only steps it waits for, so removing the entry would break ' +
        'that read);',
      '- the need is a webhook (it changes only the outside world) and the dependent cannot reach the outside ' +
        'world: a template, assert or conditional step, or a shell or claude_code step without ' +
        '`sandbox: { network: true }`;',
      '- or the need is a claude_code step with profile `read-only` (it changes nothing but its outputs; a ' +
        '`FLOWLINE_PROFILES_FILE` that redefines `read-only` to edit is not seen);',
      '- or the need is a template step and the dependent cannot read files: a template, assert, conditional or ' +
        'webhook step sees only what its templates read. A shell or claude_code step may read any file, directly ' +
        'or through a script it calls, so it is never reported for a template need.',
      '',
      'Shell steps, agents that may edit, asserts and conditionals are never reported as needs: they change the ' +
        'workspace, or waiting for them is how a step is gated. A comment beside the entry that says why the ' +
        'order matters keeps the rule quiet. The links of a chain of four or more such steps are reported once, ' +
        'by `serial-chain`.',
    ].join('\n'),
    fix: 'Remove the entry (the two steps then run in parallel), or say in a comment beside it why the order matters.',
    bad: [
      'steps:',
      '  - { id: review, type: claude_code, prompt: Review the diff and list risks }',
      '  - { id: build, type: shell, needs: [review], run: make }',
    ].join('\n'),
    good: [
      'steps:',
      '  - { id: review, type: claude_code, prompt: Review the diff and list risks }',
      '  - { id: build, type: shell, run: make }',
    ].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      (step.needs ?? []).forEach((need, entry) => {
        const path = ['steps', index, 'needs', entry];
        const why = independenceReason(context.workflow, step.id, need);
        if (why === undefined || inSerialChain(context.workflow, step.id, need)) return;
        if (context.commentsNear(path).length > 0) return;
        context.report({
          message: `step "${step.id}": needs "${need}" but reads nothing from it, and ${why}; remove the entry so the two run in parallel`,
          path,
          stepId: step.id,
        });
      });
    });
  },
};

export const redundantNeeds: LintRule = {
  id: 'redundant-needs',
  category: 'logic',
  severity: 'warning',
  summary: 'A `needs` entry already implied by another need (a transitive edge) or by a conditional listing the step',
  docs: {
    why:
      'A step that needs `test`, where `test` needs `build`, already waits for `build`; listing `build` too says ' +
      'nothing new, and the list stops showing the shape of the graph. Templates may read any step the step waits ' +
      "for through others, so the entry is not needed for `steps.build` either. A step listed in a conditional's " +
      '`then` or `else` already waits for that conditional. The rule reports an entry only when dropping it ' +
      'changes nothing at run time: every step on the path through the other need runs under all_success, so a ' +
      'failure or skip of the dropped need reaches the step through the other one. Steps under all_done and ' +
      'one_failed are left alone: such a cleanup or failure handler lists the steps it watches on purpose, and an ' +
      'all_done step could start while the dropped need still runs (a step on the path fails at once when ' +
      'another of its needs fails).',
    fix: 'Remove the entry.',
    bad: [
      'steps:',
      '  - { id: build, type: shell, run: make }',
      '  - { id: test, type: shell, needs: [build], run: make test }',
      '  - { id: package, type: shell, needs: [build, test], run: make dist }',
    ].join('\n'),
    good: [
      'steps:',
      '  - { id: build, type: shell, run: make }',
      '  - { id: test, type: shell, needs: [build], run: make test }',
      '  - { id: package, type: shell, needs: [test], run: make dist }',
    ].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      if (step.trigger_rule === 'all_done' || step.trigger_rule === 'one_failed') return;
      (step.needs ?? []).forEach((need, entry) => {
        const why = impliedBy(context, step.id, need);
        if (why === undefined) return;
        context.report({
          message: `step "${step.id}": needs "${need}", which ${why}; remove the entry`,
          path: ['steps', index, 'needs', entry],
          stepId: step.id,
        });
      });
    });
  },
};

/** Why waiting for `need` is already implied for `stepId`, or undefined. */
function impliedBy(context: LintContext, stepId: string, need: string): string | undefined {
  const { workflow } = context;
  const listing = compiledStep(workflow, stepId).branches.find(({ conditional }) => conditional === need);
  if (listing !== undefined) return `lists it in its ${listing.branch} branch, so it waits for "${need}" anyway`;
  const through = compiledStep(workflow, stepId).needs.find(
    (other) => other !== need && propagates(workflow, need, other),
  );
  return through === undefined ? undefined : `"${through}" already waits for`;
}

/**
 * Whether `to` waits for `from` along a path whose steps (after `from`) all
 * run under all_success, so `to` fails or skips whenever `from` does.
 */
function propagates(workflow: CompiledWorkflow, from: string, to: string, seen = new Set<string>()): boolean {
  for (const child of workflow.dag.children(from)) {
    if (seen.has(child) || compiledStep(workflow, child).triggerRule !== 'all_success') continue;
    seen.add(child);
    if (child === to) return true;
    if (workflow.dag.isAncestor(child, to) && propagates(workflow, child, to, seen)) return true;
  }
  return false;
}
