import { describe, expect, it } from '@jest/globals';

import { messages, places, steps } from '../test-support/lint-yaml.js';
import { triggerRuleNeverFires, triggerRuleWithoutEffect } from './logic-trigger-rules.js';

describe('trigger-rule-never-fires', () => {
  const rule = triggerRuleNeverFires;

  it('reports one_failed on a step with no needs, at the trigger_rule', () => {
    const yaml = steps('  - id: alert', '    type: shell', '    trigger_rule: one_failed', '    run: echo');
    expect(places(rule, yaml)).toEqual(['5:19 trigger-rule-never-fires']);
    expect(messages(rule, yaml)).toEqual([
      'step "alert": trigger_rule one_failed never fires: it has no needs, so nothing can fail and it is always skipped; give it needs',
    ]);
  });

  it('reports one_failed whose needs all carry on after errors or cannot fail', () => {
    const yaml = steps(
      '  - { id: test, type: shell, run: npm test, continue_on_error: true }',
      "  - { id: check, type: assert, that: '{{steps.test.status}}', needs: [test], severity: warning }",
      '  - { id: alert, type: shell, needs: [test, check], trigger_rule: one_failed, run: echo }',
    );
    expect(places(rule, yaml)).toEqual(['5:67 trigger-rule-never-fires']);
    expect(messages(rule, yaml)).toEqual([
      'step "alert": trigger_rule one_failed never fires: none of its needs can fail as it sees them ("test" has continue_on_error: true and "check" is an assert with severity warning); read steps.<id>.status instead',
    ]);
  });

  it('says nothing when a need can fail, itself or through its own needs', () => {
    const canFail = steps(
      '  - { id: test, type: shell, run: npm test }',
      '  - { id: alert, type: shell, needs: [test], trigger_rule: one_failed, run: echo }',
    );
    const upstream = steps(
      '  - { id: build, type: shell, run: make }',
      '  - { id: test, type: shell, needs: [build], run: npm test, continue_on_error: true }',
      '  - { id: alert, type: shell, needs: [test], trigger_rule: one_failed, run: echo }',
    );
    const errorAssert = steps(
      "  - { id: check, type: assert, that: 'false' }",
      '  - { id: alert, type: shell, needs: [check], trigger_rule: one_failed, run: echo }',
    );
    expect(places(rule, canFail)).toEqual([]);
    expect(places(rule, upstream)).toEqual([]);
    expect(places(rule, errorAssert)).toEqual([]);
  });

  it('counts a continue_on_error need under all_done as one that cannot fail (its needs cannot fail it)', () => {
    const yaml = steps(
      '  - { id: build, type: shell, run: make }',
      '  - { id: test, type: shell, needs: [build], trigger_rule: all_done, run: npm test, continue_on_error: true }',
      '  - { id: alert, type: shell, needs: [test], trigger_rule: one_failed, run: echo }',
    );
    expect(places(rule, yaml)).toEqual(['5:60 trigger-rule-never-fires']);
  });
});

describe('trigger-rule-without-effect', () => {
  const rule = triggerRuleWithoutEffect;

  it('reports all_done and none_failed on steps with no needs', () => {
    const yaml = steps(
      '  - { id: a, type: shell, trigger_rule: all_done, run: echo }',
      '  - { id: b, type: shell, trigger_rule: none_failed, run: echo }',
    );
    expect(places(rule, yaml)).toEqual(['3:41 trigger-rule-without-effect', '4:41 trigger-rule-without-effect']);
  });

  it('says nothing of a branch member (it needs its conditional) or of steps with needs', () => {
    const yaml = steps(
      "  - { id: gate, type: conditional, condition: '{{run.id}}', then: [a] }",
      '  - { id: a, type: shell, trigger_rule: all_done, run: echo }',
      '  - { id: b, type: shell, needs: [a], trigger_rule: none_failed, run: echo }',
      '  - { id: c, type: shell, trigger_rule: one_failed, run: echo }',
    );
    expect(places(rule, yaml)).toEqual([]);
  });
});
