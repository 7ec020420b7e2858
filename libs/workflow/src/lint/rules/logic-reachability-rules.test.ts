import { describe, expect, it } from '@jest/globals';

import { messages, places, steps } from '../test-support/lint-yaml.js';
import { emptyBranch, unreachableStep } from './logic-reachability-rules.js';

describe('unreachable-step', () => {
  const rule = unreachableStep;

  it('reports an if written as falsy plain text, at the if', () => {
    const yaml = steps('  - id: a', '    type: shell', '    if: "false"', '    run: echo');
    expect(places(rule, yaml)).toEqual(['5:9 unreachable-step']);
    expect(messages(rule, yaml)).toEqual([
      'step "a": if is "false", which is always false, so the step never runs; make it a template that reads something, or remove the step',
    ]);
  });

  it('says nothing of an if that is a template, or plain truthy text', () => {
    expect(
      places(
        rule,
        steps('  - { id: a, type: shell, if: "{{inputs.go}}", run: echo }').replace(
          'steps:',
          'inputs: { go: { type: boolean } }\nsteps:',
        ),
      ),
    ).toEqual([]);
    expect(places(rule, steps('  - { id: a, type: shell, if: "yes", run: echo }'))).toEqual([]);
  });

  it('reports a constant condition whose untaken branch lists steps, at the condition', () => {
    const yaml = steps(
      '  - id: gate',
      '    type: conditional',
      "    condition: 'true'",
      '    then: [a]',
      '    else: [b, c]',
      '  - { id: a, type: shell, run: echo }',
      '  - { id: b, type: shell, run: echo }',
      '  - { id: c, type: shell, run: echo }',
    );
    expect(places(rule, yaml)).toEqual(['5:16 unreachable-step']);
    expect(messages(rule, yaml)).toEqual([
      'step "gate": condition "true" is always true, so its else branch ("b" and "c") never runs; make the condition a template that reads something',
    ]);
  });

  it('reports a falsy constant condition for its then branch, and not its dependents', () => {
    const yaml = steps(
      "  - { id: gate, type: conditional, condition: '0', then: [a] }",
      '  - { id: a, type: shell, run: echo }',
      '  - { id: after, type: shell, needs: [a], run: echo }',
    );
    expect(messages(rule, yaml)).toEqual([
      'step "gate": condition "0" is always false, so its then branch ("a") never runs; make the condition a template that reads something',
    ]);
  });

  const join = (needs: string, extra = '') =>
    steps(
      '  - id: gate',
      '    type: conditional',
      "    condition: '{{inputs.fast}}'",
      '    then: [quick]',
      '    else: [full]',
      '  - { id: quick, type: shell, run: echo }',
      '  - { id: full, type: shell, run: echo }',
      '  - { id: after-full, type: shell, needs: [full], run: echo }',
      `  - { id: report, type: shell, needs: ${needs}, run: echo${extra} }`,
    ).replace('steps:', 'inputs: { fast: { type: boolean } }\nsteps:');

  it('reports a join of both branches under all_success at the need that closes it', () => {
    expect(places(rule, join('[quick, full]'))).toEqual(['12:47 unreachable-step']);
    expect(messages(rule, join('[quick, full]'))).toEqual([
      'step "report": needs "quick", which runs only when "gate" takes then, and needs "full", which runs only when it takes else; under trigger_rule all_success one is always skipped, so "report" never runs; use trigger_rule none_failed',
    ]);
  });

  it('follows all_success needs to the branch', () => {
    expect(places(rule, join('[quick, after-full]'))).toEqual(['12:47 unreachable-step']);
  });

  it('says nothing of a join under none_failed or all_done', () => {
    expect(places(rule, join('[quick, full]', ', trigger_rule: none_failed'))).toEqual([]);
    expect(places(rule, join('[quick, full]', ', trigger_rule: all_done'))).toEqual([]);
  });

  it('says nothing when the path to one branch passes a step that tolerates skips', () => {
    const yaml = join('[quick, mid]').replace(
      '  - { id: report',
      '  - { id: mid, type: shell, needs: [full], trigger_rule: none_failed, run: echo }\n  - { id: report',
    );
    expect(places(rule, yaml)).toEqual([]);
  });

  it('reports a branch member that also needs a step of the other branch, at that need', () => {
    const yaml = steps(
      "  - { id: gate, type: conditional, condition: '{{inputs.x}}', then: [a, c], else: [b] }",
      '  - { id: a, type: shell, run: echo }',
      '  - { id: b, type: shell, run: echo }',
      '  - { id: c, type: shell, needs: [b], run: echo }',
    ).replace('steps:', 'inputs: { x: { type: boolean } }\nsteps:');
    expect(places(rule, yaml)).toEqual(['7:35 unreachable-step']);
    expect(messages(rule, yaml)[0]).toContain('step "c": is in the then branch of "gate" and needs "b"');
  });

  it('says nothing of two different conditionals, or one branch twice', () => {
    const yaml = steps(
      "  - { id: g1, type: conditional, condition: '{{inputs.x}}', then: [a] }",
      "  - { id: g2, type: conditional, condition: '{{inputs.x}}', else: [b] }",
      '  - { id: a, type: shell, run: echo }',
      '  - { id: b, type: shell, run: echo }',
      '  - { id: a2, type: shell, needs: [a], run: echo }',
      '  - { id: j, type: shell, needs: [a, b, a2], run: echo }',
    ).replace('steps:', 'inputs: { x: { type: boolean } }\nsteps:');
    expect(places(rule, yaml)).toEqual([]);
  });
});

describe('empty-branch', () => {
  const rule = emptyBranch;
  const withInput = (yaml: string) => yaml.replace('steps:', 'inputs: { x: { type: boolean } }\nsteps:');

  it('reports a branch written as an empty list, at the list', () => {
    const yaml = withInput(
      steps(
        '  - id: gate',
        '    type: conditional',
        "    condition: '{{inputs.x}}'",
        '    then: [a]',
        '    else: []',
        '  - { id: a, type: shell, run: echo }',
      ),
    );
    expect(places(rule, yaml)).toEqual(['8:11 empty-branch']);
    expect(messages(rule, yaml)).toEqual([
      'step "gate": else is an empty list, so nothing runs when the condition is false; list the steps to run or leave else out',
    ]);
  });

  it('reports a constant condition whose other branch is empty: the conditional decides nothing', () => {
    const yaml = steps(
      "  - { id: gate, type: conditional, condition: 'yes', then: [a] }",
      '  - { id: a, type: shell, run: echo }',
    );
    expect(places(rule, yaml)).toEqual(['3:47 empty-branch']);
    expect(messages(rule, yaml)).toEqual([
      'step "gate": condition "yes" is always true and its else branch is empty, so the conditional decides nothing; remove it and let its then steps need what it needs',
    ]);
  });

  it('says nothing of a templated condition with one branch left out', () => {
    const yaml = withInput(
      steps(
        "  - { id: gate, type: conditional, condition: '{{inputs.x}}', then: [a] }",
        '  - { id: a, type: shell, run: echo }',
      ),
    );
    expect(places(rule, yaml)).toEqual([]);
  });

  it('leaves a constant condition whose untaken branch lists steps to unreachable-step', () => {
    const yaml = steps(
      "  - { id: gate, type: conditional, condition: 'false', then: [a], else: [b] }",
      '  - { id: a, type: shell, run: echo }',
      '  - { id: b, type: shell, run: echo }',
    );
    expect(places(rule, yaml)).toEqual([]);
  });
});
