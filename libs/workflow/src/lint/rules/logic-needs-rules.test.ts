import { describe, expect, it } from '@jest/globals';

import { messages, places, steps } from '../test-support/lint-yaml.js';
import { needlessNeeds, redundantNeeds } from './logic-needs-rules.js';

describe('needless-needs', () => {
  const rule = needlessNeeds;

  it('reports a need on a read-only agent the dependent does not read, at the entry', () => {
    const yaml = steps(
      '  - { id: review, type: claude_code, prompt: Review the diff }',
      '  - id: build',
      '    type: shell',
      '    needs: [review]',
      '    run: make',
    );
    expect(places(rule, yaml)).toEqual(['6:13 needless-needs']);
    expect(messages(rule, yaml)).toEqual([
      'step "build": needs "review" but reads nothing from it, and a read-only agent changes nothing but its outputs; remove the entry so the two run in parallel',
    ]);
  });

  it('reports a webhook need of a step that cannot reach the outside world', () => {
    const yaml = steps(
      '  - { id: notify, type: webhook, url: "https://hooks.example.com/x" }',
      '  - { id: build, type: shell, needs: [notify], run: make }',
    );
    expect(places(rule, yaml)).toEqual(['4:39 needless-needs']);
    expect(messages(rule, yaml)[0]).toContain('a webhook changes only the outside world, which "build" cannot reach');
  });

  it('says nothing of a webhook need when the dependent has network or is a webhook', () => {
    const yaml = steps(
      '  - { id: create, type: webhook, url: "https://api.example.com/issues" }',
      '  - { id: comment, type: webhook, needs: [create], url: "https://api.example.com/comments" }',
      '  - { id: smoke, type: shell, needs: [create], run: ./smoke.sh, sandbox: { network: true } }',
    );
    expect(places(rule, yaml)).toEqual([]);
  });

  it('reports a template need of a step that cannot read files, and not of one that can', () => {
    const yaml = steps(
      '  - { id: notes, type: template, template: hi, output: build/notes.md }',
      '  - { id: post, type: webhook, needs: [notes], url: "https://hooks.example.com/x" }',
      '  - { id: unit, type: shell, needs: [notes], run: npm test }',
      '  - { id: agent, type: claude_code, needs: [notes], prompt: Improve the docs }',
    );
    expect(places(rule, yaml)).toEqual(['4:40 needless-needs']);
    expect(messages(rule, yaml)).toEqual([
      'step "post": needs "notes" but reads nothing from it, and "post" cannot read the file the template writes; remove the entry so the two run in parallel',
    ]);
  });

  it('says nothing when the dependent reads the need, or a later step does, or reads through it', () => {
    const reads = steps(
      '  - { id: review, type: claude_code, prompt: Review }',
      "  - { id: post, type: shell, needs: [review], env: { R: '{{steps.review.outputs.result}}' }, run: echo }",
    );
    const laterReads = steps(
      '  - { id: review, type: claude_code, prompt: Review }',
      '  - { id: build, type: shell, needs: [review], run: make }',
      "  - { id: post, type: shell, needs: [build], env: { R: '{{steps.review.outputs.result}}' }, run: echo }",
    );
    const readsThrough = steps(
      '  - { id: sum, type: shell, run: \'echo t=1 >> "$FLOWLINE_OUTPUT"\' }',
      '  - { id: report, type: template, needs: [sum], template: x, output: r.md }',
      "  - { id: check, type: assert, needs: [report], that: '{{steps.sum.outputs.t}}' }",
    );
    expect(places(rule, reads)).toEqual([]);
    expect(places(rule, laterReads)).toEqual([]);
    expect(places(rule, readsThrough)).toEqual([]);
  });

  it('says nothing of shell, editing agent, assert and conditional needs, or of dependents that react to outcomes', () => {
    const yaml = steps(
      '  - { id: build, type: shell, run: make }',
      '  - { id: fix, type: claude_code, prompt: Fix, profile: edit-code }',
      "  - { id: check, type: assert, that: '{{run.id}}' }",
      "  - { id: gate, type: conditional, condition: '{{run.id}}', then: [x] }",
      '  - { id: x, type: shell, run: echo }',
      '  - { id: review, type: claude_code, prompt: Review }',
      '  - { id: a, type: shell, needs: [build, fix, check, gate], run: echo }',
      '  - { id: cleanup, type: shell, needs: [review], trigger_rule: all_done, run: echo }',
    );
    expect(places(rule, yaml)).toEqual([]);
  });

  it('lets a comment beside the entry say why the order matters', () => {
    const yaml = steps(
      '  - { id: announce, type: webhook, url: "https://hooks.example.com/x" }',
      '  - id: build',
      '    type: shell',
      '    needs:',
      '      - announce # the team wants the message before the build starts',
      '    run: make',
    );
    expect(places(rule, yaml)).toEqual([]);
  });

  it('leaves the links of a long serial chain to serial-chain', () => {
    const yaml = steps(
      '  - { id: a, type: claude_code, prompt: A }',
      '  - { id: b, type: claude_code, needs: [a], prompt: B }',
      '  - { id: c, type: claude_code, needs: [b], prompt: C }',
      '  - { id: d, type: claude_code, needs: [c], prompt: D }',
    );
    expect(places(rule, yaml)).toEqual([]);
    expect(places(rule, yaml.replace('  - { id: d, type: claude_code, needs: [c], prompt: D }\n', ''))).toEqual([
      '4:41 needless-needs',
      '5:41 needless-needs',
    ]);
  });
});

describe('redundant-needs', () => {
  const rule = redundantNeeds;

  it('reports a need another need already waits for, at the entry', () => {
    const yaml = steps(
      '  - { id: build, type: shell, run: make }',
      '  - { id: test, type: shell, needs: [build], run: make test }',
      '  - id: package',
      '    type: shell',
      '    needs: [build, test]',
      '    run: make dist',
    );
    expect(places(rule, yaml)).toEqual(['7:13 redundant-needs']);
    expect(messages(rule, yaml)).toEqual([
      'step "package": needs "build", which "test" already waits for; remove the entry',
    ]);
  });

  it('reports a need on the conditional that lists the step', () => {
    const yaml = steps(
      "  - { id: gate, type: conditional, condition: '{{run.id}}', then: [a] }",
      '  - { id: a, type: shell, needs: [gate], run: echo }',
    );
    expect(messages(rule, yaml)).toEqual([
      'step "a": needs "gate", which lists it in its then branch, so it waits for "gate" anyway; remove the entry',
    ]);
  });

  it('says nothing when the path tolerates failures or skips, or the step is all_done or one_failed', () => {
    const tolerant = steps(
      '  - { id: build, type: shell, run: make }',
      '  - { id: test, type: shell, needs: [build], trigger_rule: all_done, run: make test }',
      '  - { id: package, type: shell, needs: [build, test], run: make dist }',
    );
    const allDone = steps(
      '  - { id: build, type: shell, run: make }',
      '  - { id: test, type: shell, needs: [build], run: make test }',
      '  - { id: cleanup, type: shell, needs: [build, test], trigger_rule: all_done, run: make clean }',
    );
    const parallel = steps(
      '  - { id: a, type: shell, run: make }',
      '  - { id: b, type: shell, run: make }',
      '  - { id: c, type: shell, needs: [a, b], run: make }',
    );
    expect(places(rule, tolerant)).toEqual([]);
    expect(places(rule, allDone)).toEqual([]);
    expect(places(rule, allDone.replace('all_done', 'one_failed'))).toEqual([]);
    expect(places(rule, parallel)).toEqual([]);
  });
});
