import { describe, expect, it } from '@jest/globals';

import { lintYaml, placesOf } from '../../test-support/lint-yaml.js';
import { conventionalName, inconsistentIdStyle, inputNameStyle } from './naming-rules.js';

function steps(...ids: string[]): string {
  return `name: w\nsteps:\n${ids.map((id) => `  - { id: ${id}, type: shell, run: make }\n`).join('')}`;
}

describe('inconsistent-id-style', () => {
  it('reports the ids in the minority style, suggesting the majority spelling', () => {
    const findings = lintYaml(steps('unit-tests', 'build_image', 'lint-code', 'deploy'), [inconsistentIdStyle]);
    expect(placesOf(findings)).toEqual(['4:11 inconsistent-id-style']);
    expect(findings[0]?.message).toBe(
      `step "build_image": id is snake_case, but this workflow's step ids are kebab-case; rename it "build-image"`,
    );
  });

  it('reports kebab ids when snake_case is the majority', () => {
    const findings = lintYaml(steps('run_tests', 'build_image', 'lint-code'), [inconsistentIdStyle]);
    expect(findings.map((d) => d.stepId)).toEqual(['lint-code']);
  });

  it('breaks a tie in favour of the first styled id, and reports an id that mixes both', () => {
    expect(lintYaml(steps('a', 'run_tests', 'lint-code'), [inconsistentIdStyle]).map((d) => d.stepId)).toEqual([
      'lint-code',
    ]);
    const mixed = lintYaml(steps('run-unit_tests', 'lint-code'), [inconsistentIdStyle]);
    expect(mixed.map((d) => d.message)).toEqual([
      `step "run-unit_tests": id mixes "-" and "_", but this workflow's step ids are kebab-case; rename it "run-unit-tests"`,
    ]);
  });

  it('stays quiet when the ids agree, one-word ids included', () => {
    expect(lintYaml(steps('build', 'unit-tests', 'lint-code'), [inconsistentIdStyle])).toEqual([]);
    expect(lintYaml(steps('build', 'unit_tests', 'lint_code'), [inconsistentIdStyle])).toEqual([]);
  });
});

describe('input-name-style', () => {
  const run = 'steps:\n  - { id: a, type: shell, run: make }\n';

  it('reports camelCase, UPPER and leading-underscore inputs and outputs at their keys', () => {
    const yaml =
      'name: w\ninputs:\n  maxFiles: { type: number }\n  MAX_FILES: { type: number }\n  _tmp: { type: string }\n' +
      `  max_files: { type: number }\n  max-files: { type: number }\n${run}outputs:\n  totalCount: '1'\n  total: '2'\n`;
    const findings = lintYaml(yaml, [inputNameStyle]);
    expect(placesOf(findings)).toEqual([
      '3:3 input-name-style',
      '4:3 input-name-style',
      '5:3 input-name-style',
      '11:3 input-name-style',
    ]);
    expect(findings.map((d) => d.message)).toEqual([
      'input "maxFiles": name is neither kebab-case nor snake_case; rename it "max_files"',
      'input "MAX_FILES": name is neither kebab-case nor snake_case; rename it "max_files"',
      'input "_tmp": name is neither kebab-case nor snake_case; rename it "tmp"',
      'output "totalCount": name is neither kebab-case nor snake_case; rename it "total_count"',
    ]);
  });

  it('stays quiet on kebab-case and snake_case names', () => {
    const yaml = `name: w\ninputs:\n  max_files: { type: number }\n  dry-run: { type: boolean }\n${run}outputs:\n  total_count: '1'\n`;
    expect(lintYaml(yaml, [inputNameStyle])).toEqual([]);
  });

  it('suggests names word by word', () => {
    expect(['HTTPPort', 'Max-Files', 'a-b_c', 'x2Y'].map(conventionalName)).toEqual([
      'http_port',
      'max-files',
      'a_b_c',
      'x2_y',
    ]);
  });
});
