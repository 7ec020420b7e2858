import type { CompiledStep, CompiledWorkflow } from '../../compile/compiled-workflow.js';
import { listWords } from '../../util/describe.js';
import type { LintContext, LintRule } from '../lint-rule.js';
import { compiledStep } from './step-facts.js';

export const triggerRuleNeverFires: LintRule = {
  id: 'trigger-rule-never-fires',
  category: 'logic',
  severity: 'error',
  summary: '`trigger_rule: one_failed` on a step with no needs, or whose needs can never look failed to it',
  docs: {
    why:
      'A `one_failed` step runs when at least one of its needs failed, and is skipped otherwise. With no needs ' +
      'nothing can fail, so it is always skipped. A need with `continue_on_error: true` counts as succeeded for its ' +
      'dependents (they see `steps.<id>.status` = `failed` instead); an assert with `severity: warning` and a ' +
      'conditional fail only when a template cannot be rendered — a mistake in the workflow, not the event a ' +
      'failure handler is written for. A need looks failed through its own needs too (`upstream_failed`), so a ' +
      'need under all_success or none_failed whose own needs can fail still counts as one that can.',
    fix:
      'To react to a step that has continue_on_error, read its status: `if: \'{{eq steps.test.status "failed"}}\'` ' +
      'with `trigger_rule: all_done`. To react to a failed check, make the assert `severity: error`.',
    bad: [
      'steps:',
      '  - { id: test, type: shell, run: npm test, continue_on_error: true }',
      '  - { id: alert, type: webhook, needs: [test], trigger_rule: one_failed, url: "https://hooks.example.com/ci" }',
    ].join('\n'),
    good: [
      'steps:',
      '  - { id: test, type: shell, run: npm test, continue_on_error: true }',
      '  - id: alert',
      '    type: webhook',
      '    needs: [test]',
      '    if: \'{{eq steps.test.status "failed"}}\'',
      '    url: https://hooks.example.com/ci',
    ].join('\n'),
  },
  check(context) {
    const canLookFailed = failureVisibility(context.workflow);
    for (const step of context.workflow.steps.values()) {
      if (step.triggerRule !== 'one_failed') continue;
      if (step.needs.length === 0) {
        report(context, step, 'it has no needs, so nothing can fail and it is always skipped; give it needs');
      } else if (!step.needs.some(canLookFailed)) {
        const why = listWords(
          step.needs.map((need) => cannotFailReason(compiledStep(context.workflow, need))),
          'and',
        );
        report(context, step, `none of its needs can fail as it sees them (${why}); read steps.<id>.status instead`);
      }
    }
  },
};

function report(context: LintContext, step: CompiledStep, why: string): void {
  context.report({
    message: `step "${step.id}": trigger_rule one_failed never fires: ${why}`,
    path: ['steps', context.indexOf(step.id), 'trigger_rule'],
    stepId: step.id,
  });
}

/**
 * Whether a step can end in a way its dependents count as failed: its own
 * failure (unless continue_on_error turns that into success for them), or
 * `upstream_failed`, which all_success and none_failed give a step whose
 * need failed. Memoized; the DAG is acyclic, so the recursion ends.
 */
function failureVisibility(workflow: CompiledWorkflow): (stepId: string) => boolean {
  const known = new Map<string, boolean>();
  const canLookFailed = (stepId: string): boolean => {
    let answer = known.get(stepId);
    if (answer === undefined) {
      const step = compiledStep(workflow, stepId);
      const upstream = step.triggerRule === 'all_success' || step.triggerRule === 'none_failed';
      answer = (canFailItself(step) && !step.continueOnError) || (upstream && step.needs.some(canLookFailed));
      known.set(stepId, answer);
    }
    return answer;
  };
  return canLookFailed;
}

/** Warning asserts and conditionals fail only when a template cannot be rendered (see the rule's docs). */
function canFailItself(step: CompiledStep): boolean {
  if (step.type === 'conditional') return false;
  return !(step.type === 'assert' && step.severity === 'warning');
}

function cannotFailReason(step: CompiledStep): string {
  if (step.continueOnError) return `"${step.id}" has continue_on_error: true`;
  if (step.type === 'conditional') return `"${step.id}" is a conditional`;
  return `"${step.id}" is an assert with severity warning`;
}

export const triggerRuleWithoutEffect: LintRule = {
  id: 'trigger-rule-without-effect',
  category: 'logic',
  severity: 'warning',
  summary: '`trigger_rule: all_done` or `none_failed` on a step with no needs, where it changes nothing',
  docs: {
    why:
      'A trigger rule decides how a step reacts to the way its needs ended. A step with no needs (neither `needs` ' +
      'nor a conditional listing it) starts at once whatever its rule says, so `all_done` or `none_failed` there ' +
      'usually means the `needs` it was written for were lost, and the step now runs first instead of last. ' +
      '(`one_failed` with no needs never runs at all: `trigger-rule-never-fires` reports it.)',
    fix: 'Add the needs the rule was meant for, or remove `trigger_rule`.',
    bad: 'steps:\n  - { id: build, type: shell, run: make }\n  - { id: cleanup, type: shell, trigger_rule: all_done, run: make clean }',
    good: 'steps:\n  - { id: build, type: shell, run: make }\n  - { id: cleanup, type: shell, needs: [build], trigger_rule: all_done, run: make clean }',
  },
  check(context) {
    for (const step of context.workflow.steps.values()) {
      if (step.needs.length > 0 || step.triggerRule === 'all_success' || step.triggerRule === 'one_failed') continue;
      context.report({
        message: `step "${step.id}": trigger_rule ${step.triggerRule} has no effect on a step with no needs (it starts at once); add the needs it was meant for, or remove it`,
        path: ['steps', context.indexOf(step.id), 'trigger_rule'],
        stepId: step.id,
      });
    }
  },
};
