import { describe, expect, it } from '@jest/globals';

import { parseLintConfig } from './parse-lint-config.js';

function problems(text: string): string[] {
  const parsed = parseLintConfig(text, '.flowline-lint.yaml');
  return parsed.ok ? [] : parsed.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}: ${d.message}`);
}

describe('parseLintConfig', () => {
  it('reads severities by rule id, `off` included', () => {
    const parsed = parseLintConfig(
      '# team settings\nrules:\n  missing-version: error\n  step-missing-description: off\n  unused-lint-suppression: warning\n',
      'cfg.yaml',
    );
    expect(parsed).toEqual({
      ok: true,
      config: {
        file: 'cfg.yaml',
        rules: new Map([
          ['missing-version', 'error'],
          ['step-missing-description', 'off'],
          ['unused-lint-suppression', 'warning'],
        ]),
      },
    });
  });

  it('takes an empty file, a file of comments and an empty rules: as configuring nothing', () => {
    for (const text of ['', '# nothing yet\n', 'rules:\n', 'rules: {}\n']) {
      expect(parseLintConfig(text, 'c.yaml')).toEqual({ ok: true, config: { file: 'c.yaml', rules: new Map() } });
    }
  });

  it('reports an unknown rule at its key, with the closest id', () => {
    expect(problems('rules:\n  step-mising-description: off\n')).toEqual([
      '2:3 unknown-lint-rule: unknown lint rule "step-mising-description" (did you mean "step-missing-description"?)',
    ]);
  });

  it('reports a bad severity at its value, and every problem at once', () => {
    expect(problems('rules:\n  missing-version: warn\n  step-missing-description: false\n')).toEqual([
      '2:20 bad-value: rule "missing-version": severity must be error, warning or off, not "warn"',
      '3:29 bad-value: rule "step-missing-description": severity must be error, warning or off, not boolean false',
    ]);
  });

  it('reports fields other than rules:, and rules: that is not a mapping', () => {
    expect(problems('rule:\n  missing-version: off\n')).toEqual([
      '1:1 unknown-field: unknown field "rule" (did you mean "rules"?); a lint config holds only rules:',
    ]);
    expect(problems('rules: [missing-version]\n')).toEqual([
      '1:8 wrong-type: rules must be a mapping of rule id to error, warning or off, not a list',
    ]);
  });

  it('reports YAML that does not parse, and a top level that is not a mapping', () => {
    expect(problems('rules:\n  a: [\n')[0]).toMatch(/^3:1 yaml-syntax: /);
    expect(problems('- missing-version\n')).toEqual([
      '1:1 yaml-root-not-mapping: the top level must be a mapping with `rules:` (rule id: error, warning or off)',
    ]);
  });
});
