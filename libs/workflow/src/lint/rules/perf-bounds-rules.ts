import { formatDuration, parseDuration } from '@flowline/core';

import { LANGUAGE_DEFAULTS } from '../../compile/language-defaults.js';
import type { StepDefinition } from '../../definition/workflow-definition.js';
import type { LintContext, LintRule } from '../lint-rule.js';

/** A literal `for_each` list up to this long may run all at once: the author sees how many there are. */
export const LITERAL_FAN_OUT_LIMIT = 10;

/** Timeouts above this are reported: longer than any step of a CI-style workflow should take. */
export const TIMEOUT_LIMIT_MS = 6 * 60 * 60 * 1000;

export const forEachUnbounded: LintRule = {
  id: 'for-each-unbounded',
  category: 'performance',
  severity: 'warning',
  summary: '`for_each` without `max_parallel`: every item starts at once',
  docs: {
    why:
      'Without `max_parallel` a fan-out starts all its items together. When the items come from a template their ' +
      'number is known only at run time: a list of 300 files becomes 300 processes (or 300 agents, each with its ' +
      'own token bill and rate limit) at once, which starves the machine or the API. A literal list in the file ' +
      `shows its size, so one of up to ${LITERAL_FAN_OUT_LIMIT} items is left alone; a longer one is reported.`,
    fix: 'Set `max_parallel` to what the machine (or the API quota) can take, e.g. 4.',
    bad: [
      'inputs: { files: { type: array } }',
      'steps:',
      '  - id: fix',
      '    type: claude_code',
      "    for_each: '{{json inputs.files}}'",
      '    prompt: Fix the type errors in {{item}}',
    ].join('\n'),
    good: [
      'inputs: { files: { type: array } }',
      'steps:',
      '  - id: fix',
      '    type: claude_code',
      "    for_each: '{{json inputs.files}}'",
      '    max_parallel: 4',
      '    prompt: Fix the type errors in {{item}}',
    ].join('\n'),
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      if (step.for_each === undefined || step.max_parallel !== undefined) return;
      const listed = typeof step.for_each === 'string' ? undefined : step.for_each.length;
      if (listed !== undefined && listed <= LITERAL_FAN_OUT_LIMIT) return;
      const many =
        listed === undefined
          ? 'every item at once (how many is known only at run time)'
          : `all ${listed} items at once`;
      context.report({
        message: `step "${step.id}": for_each without max_parallel starts ${many}; set max_parallel`,
        path: ['steps', index, 'for_each'],
        stepId: step.id,
      });
    });
  },
};

/** Step types that wait on something outside Flowline (a process, a model, a server), so a timeout bounds them. */
const WAITING_TYPES: ReadonlySet<StepDefinition['type']> = new Set(['shell', 'claude_code', 'webhook']);

export const missingTimeout: LintRule = {
  id: 'missing-timeout',
  category: 'performance',
  severity: 'warning',
  summary: `A shell, claude_code or webhook step with no timeout, on it or in \`defaults:\` (the ${formatDuration(LANGUAGE_DEFAULTS.timeoutMs)} language default applies silently)`,
  docs: {
    why:
      `Without a timeout the language default of ${formatDuration(LANGUAGE_DEFAULTS.timeoutMs)} applies. A hung test ` +
      'or a stuck agent then holds a worker (and, for an agent, keeps spending) for that long before anyone ' +
      'hears of it, while a step that normally takes two minutes could have failed after ten. Writing the timeout ' +
      'says how long the step should take. Only steps that wait on something outside Flowline are reported — ' +
      'shell, claude_code and webhook; asserts, templates and conditionals finish at once.',
    fix: 'Set `timeout:` on the step, or once in `defaults:` for every step, to a little more than it normally takes.',
    bad: 'steps:\n  - { id: test, type: shell, run: npm test }',
    good: 'defaults:\n  timeout: 15m\nsteps:\n  - { id: test, type: shell, run: npm test }',
  },
  check(context) {
    if (context.definition.defaults?.timeout !== undefined) return;
    context.definition.steps.forEach((step, index) => {
      if (step.timeout !== undefined || !WAITING_TYPES.has(step.type)) return;
      context.report({
        message: `step "${step.id}": no timeout, so the language default of ${formatDuration(LANGUAGE_DEFAULTS.timeoutMs)} applies; set timeout (here or in defaults) to how long it should take`,
        path: ['steps', index, 'id'],
        stepId: step.id,
      });
    });
  },
};

export const timeoutTooLarge: LintRule = {
  id: 'timeout-too-large',
  category: 'performance',
  severity: 'warning',
  summary: `A timeout longer than ${formatDuration(TIMEOUT_LIMIT_MS)}`,
  docs: {
    why:
      `A timeout is how long a hung step may hold its worker before it fails. Beyond ${formatDuration(TIMEOUT_LIMIT_MS)} ` +
      'that is most of a working day in which nobody hears of the problem, and a run that many people wait on ' +
      'stays open. We chose 6h as the line: longer than any build, test suite or agent task we know of. A step ' +
      'that really needs longer (a soak test) can say so in a comment beside its timeout, which keeps the rule ' +
      'quiet. `defaults.timeout` is reported once, when a step inherits it.',
    fix: 'Shorten the timeout to a little more than the step normally takes, or explain the long one in a comment.',
    bad: 'steps:\n  - { id: test, type: shell, run: npm test, timeout: 24h }',
    good: 'steps:\n  - { id: test, type: shell, run: npm test, timeout: 20m }',
  },
  check(context) {
    const { steps, defaults } = context.definition;
    steps.forEach((step, index) => {
      reportLong(context, ['steps', index, 'timeout'], step.timeout, `step "${step.id}": timeout`, step.id);
    });
    if (steps.some((step) => step.timeout === undefined)) {
      reportLong(context, ['defaults', 'timeout'], defaults?.timeout, 'defaults.timeout');
    }
  },
};

function reportLong(
  context: LintContext,
  path: (string | number)[],
  timeout: string | undefined,
  what: string,
  stepId?: string,
): void {
  const ms = timeout === undefined ? undefined : parseDuration(timeout);
  if (ms === undefined || ms <= TIMEOUT_LIMIT_MS || context.commentsNear(path).length > 0) return;
  context.report({
    message: `${what} ${timeout!} is longer than ${formatDuration(TIMEOUT_LIMIT_MS)}: a hung step holds its worker that long before it fails; shorten it, or say in a comment why it needs that long`,
    path,
    ...(stepId === undefined ? {} : { stepId }),
  });
}

export const agentWithoutMaxTurns: LintRule = {
  id: 'agent-without-max-turns',
  category: 'performance',
  severity: 'warning',
  summary: 'A claude_code step without `max_turns`: the agent loop is bounded only by its timeout (and the budget)',
  docs: {
    why:
      'An agent works in turns: each one a model call, paid in tokens. Without `max_turns` an agent that goes ' +
      'in circles keeps calling the model until the step times out or the workflow budget runs out, so the ' +
      'cost of a bad run is the whole timeout. `max_turns` stops it after a number of turns a good run never ' +
      'needs.',
    fix: 'Set `max_turns` to a little more than a good run takes (look at `num_turns` in past outputs).',
    bad: 'steps:\n  - { id: fix, type: claude_code, prompt: Fix the failing test, profile: edit-code }',
    good: 'steps:\n  - { id: fix, type: claude_code, prompt: Fix the failing test, profile: edit-code, max_turns: 30 }',
  },
  check(context) {
    context.definition.steps.forEach((step, index) => {
      if (step.type !== 'claude_code' || step.max_turns !== undefined) return;
      context.report({
        message: `step "${step.id}": no max_turns, so only the timeout stops an agent that goes in circles; set max_turns`,
        path: ['steps', index, 'id'],
        stepId: step.id,
      });
    });
  },
};
