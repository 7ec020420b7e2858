import type { LintRule } from '../lint-rule.js';
import { SERIAL_CHAIN_MIN_STEPS, serialChains } from './perf-serial-chains.js';
import { independenceReason } from './logic-independent-needs.js';
import { needPath } from './step-facts.js';

/** More steps than this in one workflow are reported. */
export const STEP_LIMIT = 50;

export const serialChain: LintRule = {
  id: 'serial-chain',
  category: 'performance',
  severity: 'warning',
  summary: `${SERIAL_CHAIN_MIN_STEPS} or more steps that wait for each other in a line although none uses what the one before it made`,
  docs: {
    why:
      'Steps in a line — each needing only the one before it — run one at a time, so the run takes the sum of ' +
      "their durations. That is right when each step uses the previous one's work: its outputs, or the files it " +
      'changed. When it does not, the line only makes the run slower. The rule uses the same test as ' +
      '`needless-needs` for each link (the later step runs under all_success, nothing reads the earlier one, and ' +
      'the earlier one is a webhook, a read-only agent or a template whose file the later one cannot read), and reports a line ' +
      `of ${SERIAL_CHAIN_MIN_STEPS} or more once, at its first link, instead of each link on its own. A typical ` +
      'case is a row of read-only review agents, each looking at the code for one concern.',
    fix: 'Let the steps need what the first one needs (or nothing), so they run in parallel; join them later if a step reads them all.',
    bad: [
      'steps:',
      '  - { id: security, type: claude_code, prompt: Review for security issues }',
      '  - { id: speed, type: claude_code, needs: [security], prompt: Review for slow code }',
      '  - { id: style, type: claude_code, needs: [speed], prompt: Review for style }',
      '  - { id: docs, type: claude_code, needs: [style], prompt: Review the docs }',
    ].join('\n'),
    good: [
      'steps:',
      '  - { id: security, type: claude_code, prompt: Review for security issues }',
      '  - { id: speed, type: claude_code, prompt: Review for slow code }',
      '  - { id: style, type: claude_code, prompt: Review for style }',
      '  - { id: docs, type: claude_code, prompt: Review the docs }',
    ].join('\n'),
  },
  check(context) {
    for (const chain of serialChains(context.workflow)) {
      const [first, second] = chain as [string, string];
      const why = independenceReason(context.workflow, second, first)!;
      context.report({
        message: `step "${second}": ${chain.map((id) => `"${id}"`).join(' → ')} run one after another, but none reads the one before it and none changes what the next sees (${why}); let them run in parallel`,
        path: needPath(context, second, first),
        stepId: second,
      });
    }
  },
};

export const tooManySteps: LintRule = {
  id: 'too-many-steps',
  category: 'performance',
  severity: 'warning',
  summary: `A workflow with more than ${STEP_LIMIT} steps`,
  docs: {
    why:
      'Each step is scheduled, queued, sandboxed, logged and recorded on its own, and each adds a node that a ' +
      `reader must follow. Past ${STEP_LIMIT} steps a workflow is usually many copies of a few steps (one per ` +
      'package, one per file), which `for_each` expresses in one step with bounded parallelism, or several ' +
      `workflows in one file. We chose ${STEP_LIMIT} as the line: the largest hand-written workflows we know of ` +
      'stay well below it.',
    fix: 'Turn repeated steps into one `for_each` step, or split the workflow into smaller ones.',
    bad: 'steps:  # 60 steps: lint-core, lint-workflow, lint-engine, …',
    good: [
      'steps:',
      '  - id: lint',
      '    type: shell',
      "    for_each: '{{json inputs.packages}}'",
      '    max_parallel: 4',
      "    env: { PKG: '{{item}}' }",
      '    run: npx eslint "libs/$PKG"',
    ].join('\n'),
  },
  check(context) {
    const count = context.definition.steps.length;
    if (count <= STEP_LIMIT) return;
    context.report({
      message: `workflow has ${count} steps, more than ${STEP_LIMIT}; turn repeated steps into one for_each step, or split the workflow`,
      path: ['steps'],
      atKey: true,
    });
  },
};
