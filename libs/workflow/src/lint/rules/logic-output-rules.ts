import type { SourceSpan } from '@flowline/core';

import type { ShellStepDefinition } from '../../definition/workflow-definition.js';
import type { ValuePath } from '../../source/source-positions.js';
import type { LintContext, LintRule } from '../lint-rule.js';
import { placeInScript, shellScriptOf } from './perf-commands.js';
import type { ShellScript } from './security-scripts.js';
import { StepReads } from './step-facts.js';

/** `$FLOWLINE_OUTPUT` or `${FLOWLINE_OUTPUT}` in a script: it hands outputs back. */
const WRITES_OUTPUT = /\$\{?FLOWLINE_OUTPUT\b\}?/;

export const unusedOutputs: LintRule = {
  id: 'unused-outputs',
  category: 'logic',
  severity: 'warning',
  summary: 'A shell step hands back outputs (`outputs_from`, `$FLOWLINE_OUTPUT`) that no template reads',
  docs: {
    why:
      'Writing outputs is deliberate work: a script formats values into `$FLOWLINE_OUTPUT`, or writes a JSON file ' +
      'for `outputs_from`. When no step template and no workflow output reads `steps.<id>.outputs`, that work ' +
      'goes nowhere — usually a reader was renamed or removed, or a value meant to be a run output was never ' +
      'listed under `outputs:`. Only explicit outputs count; every shell step also has `stdout`, `stderr` and ' +
      '`exit_code`, which nobody is expected to read. `$FLOWLINE_OUTPUT` counts where a command names it, not in ' +
      'comments or here-document text; a script that writes outputs through another script it calls is not seen.',
    fix: 'Read the value where it was meant for (a later step, or the workflow `outputs:`), or stop writing it.',
    bad: 'steps:\n  - id: measure\n    type: shell\n    run: echo "score=72" >> "$FLOWLINE_OUTPUT"',
    good: [
      'steps:',
      '  - id: measure',
      '    type: shell',
      '    run: echo "score=72" >> "$FLOWLINE_OUTPUT"',
      'outputs:',
      "  score: '{{steps.measure.outputs.score}}'",
    ].join('\n'),
  },
  check(context) {
    const reads = StepReads.of(context.workflow);
    context.definition.steps.forEach((step, index) => {
      if (step.type !== 'shell' || reads.isRead(step.id, 'outputs')) return;
      const where = outputsWritten(context, step, index);
      if (where === undefined) return;
      context.report({
        message: `step "${step.id}": ${where.what}, but no template reads steps.${step.id}.outputs; read them (a later step or the workflow outputs) or stop writing them`,
        ...where.place,
        stepId: step.id,
      });
    });
  },
};

/** How the step hands back outputs, and where to report it: `outputs_from`, else `$FLOWLINE_OUTPUT` in its script. */
function outputsWritten(
  context: LintContext,
  step: ShellStepDefinition,
  index: number,
): { what: string; place: { path: ValuePath; at?: SourceSpan } } | undefined {
  if (step.outputs_from !== undefined) {
    return { what: `hands back outputs from ${step.outputs_from}`, place: { path: ['steps', index, 'outputs_from'] } };
  }
  const script = shellScriptOf(context, step.id);
  const offset = script === undefined ? undefined : outputFileOffset(script);
  if (script === undefined || offset === undefined) return undefined;
  const place = { path: script.path, at: placeInScript(context, script, offset) };
  return { what: 'writes outputs to $FLOWLINE_OUTPUT', place };
}

/** Where the script first names `$FLOWLINE_OUTPUT` in a command (comments and here-document text do not count). */
function outputFileOffset(script: ShellScript): number | undefined {
  for (const word of script.pipelines.flat(2)) {
    const at = word.raw.search(WRITES_OUTPUT);
    if (at !== -1) return word.start + at;
  }
  return undefined;
}

export const continueOnErrorUnchecked: LintRule = {
  id: 'continue-on-error-unchecked',
  category: 'logic',
  severity: 'warning',
  summary: '`continue_on_error: true` on a step whose status nothing reads: its failure is swallowed silently',
  docs: {
    why:
      "`continue_on_error: true` turns a failure into success for the step's dependents and keeps the run " +
      'green. The failure is still known — `steps.<id>.status` is `failed` — but when no step, condition or ' +
      'workflow output reads it, nobody ever learns that the step failed. Reading `steps.<id>.status`, ' +
      '`steps.<id>.outputs.exit_code` (or `outputs.items` of a fan-out, or all the outputs) or the whole ' +
      '`steps.<id>` counts as checking. So does a comment beside ' +
      '`continue_on_error` that says why the failure may be ignored (a best-effort step): we chose to let a ' +
      'written reason stand rather than force a status read nobody needs.',
    fix:
      "Report the status (`outputs: { tests: '{{steps.test.status}}' }`), branch on it, or say in a comment why " +
      'a failure does not matter.',
    bad: 'steps:\n  - { id: test, type: shell, run: npm test, continue_on_error: true }',
    good: [
      'steps:',
      '  - { id: test, type: shell, run: npm test, continue_on_error: true }',
      'outputs:',
      "  tests: '{{steps.test.status}}'",
    ].join('\n'),
  },
  check(context) {
    const reads = StepReads.of(context.workflow);
    context.definition.steps.forEach((step, index) => {
      const path = ['steps', index, 'continue_on_error'];
      if (step.continue_on_error !== true || statusChecked(reads, step.id)) return;
      if (context.commentsNear(path).length > 0) return;
      context.report({
        message: `step "${step.id}": continue_on_error: true, but nothing reads steps.${step.id}.status, so a failure goes unnoticed; read the status (a later step or the workflow outputs) or say in a comment why it may fail`,
        path,
        stepId: step.id,
      });
    });
  },
};

function statusChecked(reads: StepReads, stepId: string): boolean {
  return reads
    .of(stepId)
    .some(
      ({ member, key }) =>
        member === undefined || member === 'status' || (member === 'outputs' && SHOWS_FAILURE.has(key)),
    );
}

/** Output keys that tell a failure: the exit code, and a fan-out's items (each holds its item's exit code); undefined is every key. */
const SHOWS_FAILURE = new Set([undefined, 'exit_code', 'items']);
