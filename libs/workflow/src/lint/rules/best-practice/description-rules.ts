import type { LintRule } from '../../lint-rule.js';

/** Empty or whitespace-only text says as little as none. */
function isBlank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

export const missingVersion: LintRule = {
  id: 'missing-version',
  category: 'best-practice',
  severity: 'warning',
  summary: 'The workflow does not say which language version it is written in (`version: 1`).',
  docs: {
    why:
      '`version` is optional and means 1 today. A file that states it keeps its meaning when a later ' +
      'version of the language changes a default or a field: Flowline can refuse or migrate it instead of ' +
      'reading it under rules it was not written for.',
    fix: 'Add `version: 1` at the top of the file.',
    bad: 'name: nightly\nsteps:\n  - { id: build, type: shell, run: make }\n',
    good: 'version: 1\nname: nightly\nsteps:\n  - { id: build, type: shell, run: make }\n',
  },
  check(context) {
    if (context.definition.version !== undefined) return;
    context.report({ message: 'the workflow has no `version:`; add `version: 1`', path: ['name'], atKey: true });
  },
};

export const workflowMissingDescription: LintRule = {
  id: 'workflow-missing-description',
  category: 'best-practice',
  severity: 'warning',
  summary: 'The workflow has no `description`.',
  docs: {
    why:
      '`flowline runs list`, the HTTP API and catalogues of workflows show the description next to the ' +
      'name. Without one, people have to open the file to learn what a workflow does before they run it.',
    fix: 'Add a one-line `description:` that says what the workflow does and what it changes.',
    bad: 'version: 1\nname: nightly\nsteps:\n  - { id: build, type: shell, run: make }\n',
    good:
      'version: 1\nname: nightly\ndescription: Build the project every night and publish the artifacts\n' +
      'steps:\n  - { id: build, type: shell, run: make }\n',
  },
  check(context) {
    if (!isBlank(context.definition.description)) return;
    context.report({
      message: `workflow "${context.definition.name}" has no description; say in one line what it does`,
      path: ['name'],
    });
  },
};

export const stepMissingDescription: LintRule = {
  id: 'step-missing-description',
  category: 'best-practice',
  severity: 'warning',
  summary: 'A step has neither a `name` nor a `description`.',
  docs: {
    why:
      'Run views, logs and notifications show a step by its name (its id when it has none). An id such as ' +
      '`s3` or `fix` rarely says what the step does or why it is there; the reader of a failed run needs both.',
    fix: 'Give the step a `name` (shown in run views) or a `description` (the why), or both.',
    bad: 'version: 1\nname: nightly\nsteps:\n  - id: s1\n    type: shell\n    run: make\n',
    good:
      'version: 1\nname: nightly\nsteps:\n  - id: s1\n    type: shell\n    name: Build the release binaries\n' +
      '    run: make\n',
  },
  check(context) {
    for (const step of context.definition.steps) {
      if (!isBlank(step.name) || !isBlank(step.description)) continue;
      context.report({
        message: `step "${step.id}" has neither a name nor a description`,
        path: ['steps', context.indexOf(step.id), 'id'],
        stepId: step.id,
      });
    }
  },
};

export const inputMissingDescription: LintRule = {
  id: 'input-missing-description',
  category: 'best-practice',
  severity: 'warning',
  summary: 'An input has no `description`.',
  docs: {
    why:
      'Whoever starts a run (`flowline run --input`, the HTTP API, a form built from the workflow) sees the ' +
      'input names and their descriptions, not the templates that read them. A name alone rarely says the ' +
      'unit, the format or the effect of a value.',
    fix: 'Add a `description:` to the input: what it means, its unit or format, and an example.',
    bad: 'version: 1\nname: deploy\ninputs:\n  target: { type: string }\nsteps:\n  - { id: go, type: shell, run: make }\n',
    good:
      'version: 1\nname: deploy\ninputs:\n  target: { type: string, description: "Environment to deploy to, e.g. staging" }\n' +
      'steps:\n  - { id: go, type: shell, run: make }\n',
  },
  check(context) {
    for (const [name, input] of Object.entries(context.definition.inputs ?? {})) {
      if (!isBlank(input.description)) continue;
      context.report({ message: `input "${name}" has no description`, path: ['inputs', name], atKey: true });
    }
  },
};

export const assertMissingMessage: LintRule = {
  id: 'assert-missing-message',
  category: 'best-practice',
  severity: 'warning',
  summary: 'An `assert` step has no `message`.',
  docs: {
    why:
      'Without a message a failed assertion says only which template rendered what ' +
      '(`assertion failed: that[0] rendered "0"`): not what was expected, nor what to do about it. ' +
      'The message is what the failed run, its notification and the logs show.',
    fix: 'Add a `message:` that states the expectation with the values that broke it (it is a template).',
    bad:
      'version: 1\nname: coverage\nsteps:\n  - { id: measure, type: shell, run: ./coverage.sh }\n' +
      '  - id: check\n    type: assert\n    needs: [measure]\n' +
      "    that: '{{gte steps.measure.outputs.pct 80}}'\n",
    good:
      'version: 1\nname: coverage\nsteps:\n  - { id: measure, type: shell, run: ./coverage.sh }\n' +
      '  - id: check\n    type: assert\n    needs: [measure]\n' +
      "    that: '{{gte steps.measure.outputs.pct 80}}'\n" +
      "    message: 'coverage {{steps.measure.outputs.pct}}% is below 80%'\n",
  },
  check(context) {
    for (const step of context.definition.steps) {
      if (step.type !== 'assert' || !isBlank(step.message)) continue;
      context.report({
        message: `step "${step.id}": assert has no message; a failure will only say which template was falsy`,
        path: ['steps', context.indexOf(step.id), 'that'],
        stepId: step.id,
      });
    }
  },
};
