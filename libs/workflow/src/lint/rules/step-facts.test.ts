import { describe, expect, it } from '@jest/globals';

import { loadWorkflow } from '../../load-workflow.js';
import type { LintRule } from '../lint-rule.js';
import { lintYaml } from '../test-support/lint-yaml.js';
import { StepReads, needPath } from './step-facts.js';

/** Every template field a step type has, each reading a different step, so a field left out shows. */
const EVERY_FIELD = `
name: w
inputs: { go: { type: boolean } }
steps:
  - { id: s1, type: shell, run: echo }
  - { id: s2, type: shell, run: echo }
  - { id: s3, type: shell, run: echo }
  - { id: s4, type: shell, run: echo }
  - { id: s5, type: shell, run: echo }
  - id: sh
    type: shell
    needs: [s1, s2, s3, s4, s5]
    if: '{{steps.s1.status}}'
    env: { A: '{{steps.s2.outputs.a}}' }
    for_each: '{{json steps.s3.outputs.items}}'
    run: echo {{steps.s4.outputs.b}}
  - id: agent
    type: claude_code
    needs: [s1, s2]
    prompt: '{{steps.s1.outputs.x}}'
    append_system_prompt: '{{steps.s2.outputs.y}}'
  - id: check
    type: assert
    needs: [s1, s2, s3]
    that: ['{{steps.s1.outputs.x}}', '{{steps.s2.outputs.x}}']
    message: '{{steps.s3.outputs.x}}'
  - id: page
    type: template
    needs: [s1, s2]
    template: '{{steps.s1.outputs.x}}'
    output: 'out/{{steps.s2.outputs.name}}.md'
  - id: hook
    type: webhook
    needs: [s1, s2, s3]
    url: 'https://example.com/{{steps.s1.outputs.x}}'
    headers: { X: '{{steps.s2.outputs.x}}' }
    body: { deep: ['{{steps.s3.outputs.x}}'] }
  - id: gate
    type: conditional
    needs: [s5]
    condition: '{{steps.s5.outputs.ok}}'
    then: [branch]
  - { id: branch, type: shell, run: echo }
  - { id: all, type: template, needs: [sh], template: '{{json steps}}', output: all.json }
outputs:
  sum: '{{steps.s5.outputs.total}}'
`;

function readsOf(yaml: string): StepReads {
  const loaded = loadWorkflow(yaml, { file: 'wf.yaml' });
  if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('; '));
  return StepReads.of(loaded.workflow);
}

describe('StepReads', () => {
  const reads = readsOf(EVERY_FIELD);
  const readers = (target: string) =>
    reads
      .of(target)
      .filter((read) => read.reader !== 'all')
      .map(({ reader, member, key }) => `${reader ?? 'outputs'}:${member ?? '*'}.${key ?? '*'}`);

  it('sees reads in every template field of every step type, and in the workflow outputs', () => {
    expect(readers('s1')).toEqual([
      'sh:status.*',
      'agent:outputs.x',
      'check:outputs.x',
      'page:outputs.x',
      'hook:outputs.x',
    ]);
    expect(readers('s2')).toEqual([
      'sh:outputs.a',
      'agent:outputs.y',
      'check:outputs.x',
      'page:outputs.name',
      'hook:outputs.x',
    ]);
    expect(readers('s3')).toEqual(['sh:outputs.items', 'check:outputs.x', 'hook:outputs.x']);
    expect(readers('s4')).toEqual(['sh:outputs.b']);
    expect(readers('s5')).toEqual(['gate:outputs.ok', 'outputs:outputs.total']);
  });

  it('counts a read of the steps root as a read of every step, whole', () => {
    expect(reads.of('branch')).toEqual([{ reader: 'all', target: 'branch', member: undefined, key: undefined }]);
    expect(reads.isRead('branch', 'status')).toBe(true);
    expect(reads.reads('all', 's4')).toBe(true);
  });

  it('answers isRead per member', () => {
    expect(reads.isRead('s4', 'outputs')).toBe(true);
    const narrow = readsOf(
      "name: w\nsteps:\n  - { id: a, type: shell, run: echo }\noutputs:\n  s: '{{steps.a.status}}'\n",
    );
    expect(narrow.isRead('a', 'status')).toBe(true);
    expect(narrow.isRead('a', 'outputs')).toBe(false);
  });
});

describe('needPath', () => {
  /** A rule that reports every (step, need) pair at needPath, so the test reads places. */
  const everyNeed: LintRule = {
    id: 'test-every-need',
    category: 'logic',
    severity: 'warning',
    summary: 'test rule',
    docs: { why: 'test', fix: 'test' },
    check(context) {
      for (const step of context.workflow.steps.values()) {
        for (const need of step.needs) {
          context.report({ message: `${step.id} ${need}`, path: needPath(context, step.id, need) });
        }
      }
    },
  };

  it('points at the needs entry, or at the branch entry of the conditional that lists the step', () => {
    const yaml = [
      'name: w',
      'steps:',
      '  - { id: a, type: shell, run: echo }',
      "  - { id: gate, type: conditional, needs: [a], condition: '{{run.id}}', else: [b] }",
      '  - { id: b, type: shell, needs: [a], run: echo }',
      '',
    ].join('\n');
    const found = lintYaml(yaml, [everyNeed]).map((d) => `${d.message} ${d.path} ${d.line}:${d.column}`);
    expect(found).toEqual(['gate a steps.1.needs.0 4:44', 'b gate steps.1.else.0 4:80', 'b a steps.2.needs.0 5:35']);
  });
});
