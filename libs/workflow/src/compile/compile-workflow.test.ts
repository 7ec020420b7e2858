import { describe, expect, test } from '@jest/globals';

import { loadWorkflow } from '../load-workflow.js';
import type { TemplateContext } from '../template/template-context.js';
import type { CompiledStep, CompiledWorkflow } from './compiled-workflow.js';
import { LANGUAGE_DEFAULTS } from './language-defaults.js';

function compile(
  yaml: string,
  readTemplateFile?: Parameters<typeof loadWorkflow>[1]['readTemplateFile'],
): CompiledWorkflow {
  const result = loadWorkflow(yaml, { file: 'test.yaml', ...(readTemplateFile && { readTemplateFile }) });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return result.workflow;
}

function step<T extends CompiledStep['type']>(
  workflow: CompiledWorkflow,
  id: string,
  type: T,
): Extract<CompiledStep, { type: T }> {
  const found = workflow.steps.get(id);
  if (found?.type !== type) throw new Error(`step ${id} is not a ${type}`);
  return found as Extract<CompiledStep, { type: T }>;
}

const context: TemplateContext = {
  inputs: { repo: 'acme/app', n: 3 },
  env: {},
  secrets: {},
  steps: {},
  run: { id: 'r1' },
  workflow: { name: 'w' },
};

describe('policies', () => {
  const workflow = compile(`
name: policies
defaults:
  timeout: 5m
  retry: { max_attempts: 3, backoff: linear, initial_delay: 2s, max_delay: 30s }
  cache: { enabled: true, ttl: 1d, files: ["src/**"] }
  sandbox: { memory: 1GiB }
steps:
  - { id: inherits, type: shell, run: "true" }
  - { id: inherits-too, type: shell, run: "true" }
  - id: own
    type: shell
    run: "true"
    timeout: 90s
    retry: { max_attempts: 5 }
    sandbox: { network: true, cpu_time: 1m }
    max_output_size: 2MiB
`);

  test('a step without settings of its own gets defaults:, in numbers', () => {
    const s = step(workflow, 'inherits', 'shell');
    expect(s.timeoutMs).toBe(300_000);
    expect(s.retry).toEqual({
      maxAttempts: 3,
      backoff: 'linear',
      initialDelayMs: 2000,
      maxDelayMs: 30_000,
      jitter: true,
    });
    expect(s.cache).toEqual({ enabled: true, ttlMs: 86_400_000, files: ['src/**'] });
    expect(s.sandbox).toEqual({ network: false, memoryBytes: 1024 ** 3 });
    expect(s.maxOutputBytes).toBe(LANGUAGE_DEFAULTS.maxOutputBytes);
  });

  test('steps that inherit share the same frozen policy objects', () => {
    const a = step(workflow, 'inherits', 'shell');
    const b = step(workflow, 'inherits-too', 'shell');
    expect(a.retry).toBe(b.retry);
    expect(a.cache).toBe(b.cache);
    expect(Object.isFrozen(a.retry)).toBe(true);
  });

  test("a step's own settings merge field by field over defaults:", () => {
    const s = step(workflow, 'own', 'shell');
    expect(s.timeoutMs).toBe(90_000);
    expect(s.retry).toEqual({
      maxAttempts: 5,
      backoff: 'linear',
      initialDelayMs: 2000,
      maxDelayMs: 30_000,
      jitter: true,
    });
    expect(s.sandbox).toEqual({ network: true, memoryBytes: 1024 ** 3, cpuTimeMs: 60_000 });
    expect(s.maxOutputBytes).toBe(2 * 1024 ** 2);
    expect(s.cache).toBe(step(workflow, 'inherits', 'shell').cache);
  });

  test('with no defaults: the language defaults apply', () => {
    const s = step(compile('name: bare\nsteps: [{ id: a, type: shell, run: "true" }]'), 'a', 'shell');
    expect(s.timeoutMs).toBe(LANGUAGE_DEFAULTS.timeoutMs);
    expect(s.retry).toEqual(LANGUAGE_DEFAULTS.retry);
    expect(s.cache).toEqual(LANGUAGE_DEFAULTS.cache);
    expect(s.sandbox).toEqual({ network: false });
    expect(s.triggerRule).toBe('all_success');
    expect(s.continueOnError).toBe(false);
    expect(s.name).toBe('a');
  });
});

describe('the graph', () => {
  const workflow = compile(`
name: graph
steps:
  - { id: measure, type: shell, run: "true" }
  - id: gate
    type: conditional
    needs: [measure]
    condition: "{{eq steps.measure.status 'succeeded'}}"
    then: [deploy]
    else: [fix]
  - { id: deploy, type: shell, run: "true" }
  - { id: fix, type: shell, needs: [measure], run: "true" }
  - { id: report, type: template, needs: [deploy, fix], trigger_rule: none_failed, template: done, output: r.md }
`);

  test("a branch's steps need their conditional, whether or not they say so", () => {
    expect(workflow.steps.get('deploy')!.needs).toEqual(['gate']);
    expect(workflow.steps.get('fix')!.needs).toEqual(['measure', 'gate']);
    expect(workflow.steps.get('deploy')!.branches).toEqual([{ conditional: 'gate', branch: 'then' }]);
    expect(workflow.steps.get('fix')!.branches).toEqual([{ conditional: 'gate', branch: 'else' }]);
    expect(workflow.steps.get('report')!.branches).toEqual([]);
  });

  test('topological order follows the file where dependencies allow', () => {
    expect(workflow.dag.order).toEqual(['measure', 'gate', 'deploy', 'fix', 'report']);
    expect(workflow.steps.get('report')!.triggerRule).toBe('none_failed');
  });

  test('conditional branches default to empty lists', () => {
    const c = step(
      compile(
        'name: c\nsteps: [{ id: c, type: conditional, condition: "1", then: [a] }, { id: a, type: shell, run: "true" }]',
      ),
      'c',
      'conditional',
    );
    expect(c.then).toEqual(['a']);
    expect(c.else).toEqual([]);
  });
});

describe('step types', () => {
  const workflow = compile(`
name: types
inputs:
  repo: { type: string, default: acme/app }
  n: { type: number, default: 3, description: How many }
steps:
  - { id: default-shell, type: shell, run: "echo {{inputs.repo}}" }
  - { id: custom-shell, type: shell, shell: "sh -eu", run: "true", working_directory: sub, outputs_from: out.json }
  - { id: agent, type: claude_code, prompt: "Fix {{inputs.repo}}", max_turns: 5 }
  - { id: narrowed, type: claude_code, prompt: x, profile: edit-code, allowed_tools: [Read], disallowed_tools: [Bash], model: m }
  - { id: one, type: assert, that: "{{gt inputs.n 1}}" }
  - { id: many, type: assert, that: ["{{gt inputs.n 1}}", "{{lt inputs.n 9}}"], message: "n is {{inputs.n}}", severity: warning }
  - id: hook
    type: webhook
    url: "https://example.com/{{inputs.repo}}"
    headers: { X-Repo: "{{inputs.repo}}" }
    body: { repo: "{{inputs.repo}}", count: 3, nested: ["{{inputs.n}}", true, null] }
  - { id: text-hook, type: webhook, url: https://example.com, method: PUT, body: "n={{inputs.n}}", expect_status: [200], max_response_size: 10KB }
  - { id: fan, type: shell, for_each: "{{json inputs}}", max_parallel: 2, run: "echo {{item}}" }
  - { id: listed, type: shell, for_each: [a, b], run: "echo {{item}} {{index}}" }
`);

  test('shell: bash -e -o pipefail unless told otherwise', () => {
    expect(step(workflow, 'default-shell', 'shell').shell).toEqual(['bash', '-e', '-o', 'pipefail']);
    const custom = step(workflow, 'custom-shell', 'shell');
    expect(custom).toMatchObject({ shell: ['sh', '-eu'], workingDirectory: 'sub', outputsFrom: 'out.json' });
    expect(step(workflow, 'default-shell', 'shell').run.render(context)).toBe('echo acme/app');
  });

  test('claude_code: least privilege by default', () => {
    expect(step(workflow, 'agent', 'claude_code')).toMatchObject({
      profile: 'read-only',
      maxTurns: 5,
      model: undefined,
      allowedTools: undefined,
      disallowedTools: [],
    });
    expect(step(workflow, 'narrowed', 'claude_code')).toMatchObject({
      profile: 'edit-code',
      allowedTools: ['Read'],
      disallowedTools: ['Bash'],
      model: 'm',
    });
  });

  test('assert: one template or a list; severity error by default', () => {
    expect(step(workflow, 'one', 'assert').that.map((t) => t.render(context))).toEqual(['true']);
    expect(step(workflow, 'one', 'assert').severity).toBe('error');
    const many = step(workflow, 'many', 'assert');
    expect(many.that.map((t) => t.render(context))).toEqual(['true', 'true']);
    expect(many.message!.render(context)).toBe('n is 3');
    expect(many.severity).toBe('warning');
  });

  test('webhook: POST, any 2xx, 1 MiB responses by default; a JSON body renders its strings', () => {
    const hook = step(workflow, 'hook', 'webhook');
    expect(hook).toMatchObject({ method: 'POST', expectStatus: undefined, maxResponseBytes: 1024 * 1024 });
    expect(hook.url.render(context)).toBe('https://example.com/acme/app');
    expect(hook.headers['X-Repo']!.render(context)).toBe('acme/app');
    expect(hook.body!.render(context)).toEqual({ repo: 'acme/app', count: 3, nested: ['3', true, null] });
    const text = step(workflow, 'text-hook', 'webhook');
    expect(text).toMatchObject({ method: 'PUT', expectStatus: [200], maxResponseBytes: 10_000 });
    expect(text.body!.render(context)).toBe('n=3');
  });

  test('for_each: a template or a literal list, with max_parallel', () => {
    const fan = step(workflow, 'fan', 'shell').forEach;
    expect(fan?.kind).toBe('template');
    expect(fan?.maxParallel).toBe(2);
    if (fan?.kind === 'template') expect(JSON.parse(fan.items.render(context))).toEqual({ repo: 'acme/app', n: 3 });
    expect(step(workflow, 'listed', 'shell').forEach).toEqual({
      kind: 'list',
      items: ['a', 'b'],
      maxParallel: undefined,
    });
    expect(step(workflow, 'one', 'assert').forEach).toBeUndefined();
  });

  test('inputs: type string unless given; a default only when written', () => {
    expect(workflow.inputs).toEqual([
      { name: 'repo', type: 'string', required: false, default: 'acme/app' },
      { name: 'n', type: 'number', required: false, default: 3, description: 'How many' },
    ]);
  });
});

describe('the workflow', () => {
  const text = `
name: whole
env: { CI: "true", REPO: "{{inputs.repo}}" }
inputs: { repo: { type: string, required: true } }
secrets: [TOKEN]
concurrency: { key: "{{inputs.repo}}" }
budget: { max_cost_usd: 5 }
steps:
  - { id: a, type: shell, env: { R: "{{inputs.repo}}" }, run: "echo {{inputs.repo}}" }
  - { id: b, type: shell, needs: [a], run: "echo {{inputs.repo}}" }
outputs: { repo: "{{inputs.repo}}" }
`;
  const workflow = compile(text);

  test('workflow-level settings and their defaults', () => {
    expect(workflow.priority).toBe(5);
    expect(workflow.concurrency?.limit).toBe(1);
    expect(workflow.concurrency?.key.render(context)).toBe('acme/app');
    expect(workflow.budget).toEqual({ maxCostUsd: 5 });
    expect(workflow.secrets).toEqual(['TOKEN']);
    expect(workflow.env['REPO']!.render(context)).toBe('acme/app');
    expect(workflow.env['CI']!.isStatic).toBe(true);
  });

  test('identical template text is compiled once and shared', () => {
    const a = step(workflow, 'a', 'shell');
    const b = step(workflow, 'b', 'shell');
    expect(a.run).toBe(b.run);
    expect(a.env['R']).toBe(workflow.outputs['repo']);
  });

  test('compiled workflows are immutable', () => {
    expect(Object.isFrozen(workflow)).toBe(true);
    expect(Object.isFrozen(workflow.steps.get('a'))).toBe(true);
    expect(Object.isFrozen(workflow.steps.get('b')!.needs)).toBe(true);
    expect(Object.isFrozen(workflow.env)).toBe(true);
  });

  test('the digest identifies the text and template files', () => {
    expect(compile(text).digest).toBe(workflow.digest);
    expect(workflow.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(compile(`${text}\n# a comment\n`).digest).not.toBe(workflow.digest);
    const withFile = (body: string) =>
      compile('name: t\nsteps: [{ id: r, type: template, template_file: r.hbs, output: r.md }]', () => ({
        ok: true,
        text: body,
        file: 'r.hbs',
      }));
    expect(withFile('one').digest).not.toBe(withFile('two').digest);
    expect(step(withFile('one {{run.id}}'), 'r', 'template').template.render(context)).toBe('one r1');
    expect(step(withFile('x'), 'r', 'template').templateFile).toBe('r.hbs');
  });
});

describe('extension fields', () => {
  test('top-level x- fields hold anchors for steps and are otherwise ignored', () => {
    const workflow = compile(`
name: anchors
x-patient: &patient { max_attempts: 4, backoff: fixed }
x-shell-defaults: &shell { type: shell, timeout: 2m }
steps:
  - { <<: *shell, id: a, run: "true", retry: *patient }
  - { <<: *shell, id: b, run: "true", retry: *patient }
`);
    expect(step(workflow, 'a', 'shell').retry).toMatchObject({ maxAttempts: 4, backoff: 'fixed' });
    expect(step(workflow, 'b', 'shell').timeoutMs).toBe(120_000);
    expect(Object.keys(workflow)).not.toContain('x-patient');
  });

  test('other unknown top-level fields are still refused', () => {
    const result = loadWorkflow('name: x\ny-common: 1\nsteps: [{ id: a, type: shell, run: "true" }]\n', {
      file: 'w.yaml',
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-field']);
  });
});
