import { describe, expect, it } from '@jest/globals';

import { lintYaml, messages, places, steps } from '../test-support/lint-yaml.js';
import { cacheWithoutFiles } from './logic-cache-rules.js';
import { needlessNeeds, redundantNeeds } from './logic-needs-rules.js';
import { continueOnErrorUnchecked, unusedOutputs } from './logic-output-rules.js';
import { emptyBranch, unreachableStep } from './logic-reachability-rules.js';
import { LOGIC_RULES } from './logic-rules.js';
import { triggerRuleNeverFires, triggerRuleWithoutEffect } from './logic-trigger-rules.js';

describe('the logic catalogue', () => {
  it('holds logic rules with unique ids and full docs', () => {
    const ids = LOGIC_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of LOGIC_RULES) {
      expect(rule.category).toBe('logic');
      expect(rule.docs.bad).toBeDefined();
      expect(rule.docs.good).toBeDefined();
    }
  });

  it.each(LOGIC_RULES.map((rule) => ({ id: rule.id, rule })))(
    '$id: its own docs example is reported, and its fix is not',
    ({ rule }) => {
      expect(lintYaml(`name: w\n${rule.docs.bad!}\n`, [rule]).length).toBeGreaterThan(0);
      expect(lintYaml(`name: w\n${rule.docs.good!}\n`, [rule])).toEqual([]);
    },
  );
});

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

describe('unused-outputs', () => {
  const rule = unusedOutputs;

  it('reports $FLOWLINE_OUTPUT nobody reads, at its place in the script', () => {
    const yaml = steps(
      '  - id: measure',
      '    type: shell',
      '    run: |',
      '      make',
      '      echo "n=1" >> "$FLOWLINE_OUTPUT"',
    );
    expect(places(rule, yaml)).toEqual(['7:22 unused-outputs']);
    expect(messages(rule, yaml)).toEqual([
      'step "measure": writes outputs to $FLOWLINE_OUTPUT, but no template reads steps.measure.outputs; read them (a later step or the workflow outputs) or stop writing them',
    ]);
  });

  it('looks past comment lines, for whether outputs are written and where', () => {
    const commentOnly = steps(
      '  - id: m',
      '    type: shell',
      '    run: |',
      '      # no $FLOWLINE_OUTPUT here',
      '      make',
    );
    const commentFirst = steps(
      '  - id: m',
      '    type: shell',
      '    run: |',
      '      # writes $FLOWLINE_OUTPUT',
      '      echo n=1 >> $FLOWLINE_OUTPUT',
    );
    expect(places(rule, commentOnly)).toEqual([]);
    expect(places(rule, commentFirst)).toEqual(['7:19 unused-outputs']);
  });

  it('reports outputs_from nobody reads, at its value', () => {
    const yaml = steps('  - id: scan', '    type: shell', '    run: ./scan > out.json', '    outputs_from: out.json');
    expect(places(rule, yaml)).toEqual(['6:19 unused-outputs']);
  });

  it('says nothing when a step, a workflow output or a whole-steps read uses them, or none are written', () => {
    const writer = '  - { id: m, type: shell, run: \'echo "n=1" >> "${FLOWLINE_OUTPUT}"\' }';
    expect(
      places(
        rule,
        steps(writer, "  - { id: r, type: shell, needs: [m], env: { N: '{{steps.m.outputs.n}}' }, run: echo }"),
      ),
    ).toEqual([]);
    expect(places(rule, `${steps(writer)}outputs:\n  n: '{{steps.m.outputs.n}}'\n`)).toEqual([]);
    expect(places(rule, `${steps(writer)}outputs:\n  all: '{{json steps}}'\n`)).toEqual([]);
    expect(
      places(
        rule,
        steps(
          writer,
          "  - { id: r, type: template, needs: [m], template: '{{#with steps.m}}{{outputs.n}}{{/with}}', output: r.txt }",
        ),
      ),
    ).toEqual([]);
    expect(places(rule, steps('  - { id: m, type: shell, run: echo "$FLOWLINE_OUTPUT_DIR" }'))).toEqual([]);
  });

  it('does not count a read of the status as a read of the outputs', () => {
    const yaml = `${steps("  - { id: m, type: shell, run: 'echo n=1 >> $FLOWLINE_OUTPUT' }")}outputs:\n  s: '{{steps.m.status}}'\n`;
    expect(places(rule, yaml)).toEqual(['3:45 unused-outputs']);
  });
});

describe('continue-on-error-unchecked', () => {
  const rule = continueOnErrorUnchecked;

  it('reports continue_on_error whose status nothing reads, at the value', () => {
    const yaml = steps('  - id: test', '    type: shell', '    run: npm test', '    continue_on_error: true');
    expect(places(rule, yaml)).toEqual(['6:24 continue-on-error-unchecked']);
    expect(messages(rule, yaml)).toEqual([
      'step "test": continue_on_error: true, but nothing reads steps.test.status, so a failure goes unnoticed; read the status (a later step or the workflow outputs) or say in a comment why it may fail',
    ]);
  });

  it('counts reading the status, the exit code, all outputs or the whole step as checking', () => {
    const step = '  - { id: t, type: shell, run: npm test, continue_on_error: true }';
    for (const read of ['steps.t.status', 'steps.t.outputs.exit_code', 'json steps.t.outputs', 'json steps.t']) {
      expect(places(rule, `${steps(step)}outputs:\n  r: '{{${read}}}'\n`)).toEqual([]);
    }
  });

  it('does not count reading another output', () => {
    const yaml = `${steps('  - { id: t, type: shell, run: npm test, continue_on_error: true }')}outputs:\n  r: '{{steps.t.outputs.stdout}}'\n`;
    expect(places(rule, yaml)).toEqual(['3:61 continue-on-error-unchecked']);
  });

  it('lets a comment beside it explain why the failure may be ignored', () => {
    const yaml = steps(
      '  - id: warm',
      '    type: shell',
      '    run: ./warm-cache.sh',
      '    continue_on_error: true # best effort: a cold cache is only slower',
    );
    expect(places(rule, yaml)).toEqual([]);
  });
});

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

describe('cache-without-files', () => {
  const rule = cacheWithoutFiles;

  it('reports an install cached with no files, at the cache key', () => {
    const yaml = steps('  - id: install', '    type: shell', '    run: npm ci', '    cache: { enabled: true }');
    expect(places(rule, yaml)).toEqual(['6:5 cache-without-files']);
    expect(messages(rule, yaml)).toEqual([
      'step "install": cache is enabled with no cache.files, so the key ignores the workspace and npm ci is skipped even when package-lock.json changed; list the files it depends on in cache.files',
    ]);
  });

  it('reports an agent cached through defaults with an empty list, at the list or defaults', () => {
    const fromDefaults = `name: w\ndefaults:\n  cache: { enabled: true }\nsteps:\n  - { id: fix, type: claude_code, prompt: Fix }\n`;
    const emptyList = steps('  - { id: fix, type: claude_code, prompt: Fix, cache: { enabled: true, files: [] } }');
    expect(places(rule, fromDefaults)).toEqual(['3:3 cache-without-files']);
    expect(places(rule, emptyList)).toEqual(['3:79 cache-without-files']);
  });

  it('says nothing with files, without the cache, or for a step whose result is its configuration', () => {
    expect(
      places(
        rule,
        steps('  - { id: i, type: shell, run: npm ci, cache: { enabled: true, files: [package-lock.json] } }'),
      ),
    ).toEqual([]);
    expect(places(rule, steps('  - { id: i, type: shell, run: npm ci }'))).toEqual([]);
    expect(places(rule, steps('  - { id: d, type: shell, run: ./download.sh, cache: { enabled: true } }'))).toEqual([]);
  });
});
