import { describe, expect, it } from '@jest/globals';

import type { LintRule } from './lint-rule.js';
import { lintWorkflow } from './lint-workflow.js';

const everyShellStep: LintRule = {
  id: 'test-every-shell-step',
  category: 'best-practice',
  severity: 'warning',
  summary: 'reports every shell step at the `echo` in its script',
  docs: { why: 'test rule', fix: 'none' },
  check(context) {
    for (const step of context.definition.steps) {
      if (step.type !== 'shell') continue;
      const path = ['steps', context.indexOf(step.id), 'run'];
      context.report({ message: `step "${step.id}": shell`, path, at: context.spanOf(path, 'echo'), stepId: step.id });
    }
  },
};

describe('lintWorkflow', () => {
  it('reports a rule finding at the needle inside a block script, with the rule id as code', () => {
    const yaml = 'name: w\nsteps:\n  - id: a\n    type: shell\n    run: |\n      set -e\n      echo hi\n';
    const [finding, ...rest] = lintWorkflow(yaml, { file: 'w.yaml', rules: [everyShellStep] });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'test-every-shell-step',
      severity: 'warning',
      line: 7,
      column: 7,
      stepId: 'a',
      path: 'steps.0.run',
    });
  });

  it('returns the validation errors, and runs no rule, when the workflow is invalid', () => {
    const diagnostics = lintWorkflow('name: w\nsteps:\n  - { id: a, type: shell, run: x, needs: [b] }\n', {
      file: 'w.yaml',
      rules: [everyShellStep],
    });
    expect(diagnostics.map((d) => d.code)).toEqual(['unknown-step']);
  });
});

describe('a rule that throws', () => {
  it('is named, with the file, in the error', () => {
    const broken: LintRule = {
      ...everyShellStep,
      id: 'test-broken',
      check: () => {
        throw new Error('boom');
      },
    };
    expect(() =>
      lintWorkflow('name: w\nsteps:\n  - { id: a, type: shell, run: x }\n', { file: 'w.yaml', rules: [broken] }),
    ).toThrow('lint rule "test-broken" failed on w.yaml: boom');
  });
});
