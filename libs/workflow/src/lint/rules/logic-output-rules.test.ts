import { describe, expect, it } from '@jest/globals';

import { messages, places, steps } from '../test-support/lint-yaml.js';
import { continueOnErrorUnchecked, unusedOutputs } from './logic-output-rules.js';

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
