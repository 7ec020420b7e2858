import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';

import { lintText } from '../lint-text.js';
import { LINT_RULES } from '../rules/index.js';
import { META_RULES } from '../suppression/meta-rules.js';
import type { FileLintResult } from './lint-report.js';
import { SARIF_DESCRIPTION_LIMIT, sarifLog, withinLimit } from './sarif-report.js';

/** The OASIS schema (fixtures/README.md says where it comes from and why `$schema`/`id` are dropped). */
function sarifValidator() {
  const url = new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url);
  const { $schema: _draft04, id, ...schema } = JSON.parse(readFileSync(url, 'utf8')) as { $schema: string; id: string };
  // Formats (uri, date-time) would need ajv-formats, which the repository does not have.
  const ajv = new Ajv({ allErrors: true, validateFormats: false });
  return ajv.compile({ $id: id, ...schema });
}

interface SarifShape {
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri: string; [key: string]: unknown }[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: object } }[];
    }[];
  }[];
}

const CWD = '/work/repo';

function results(): FileLintResult[] {
  const file = 'flows/my flows/w.yaml';
  const valid = lintText(
    'name: w\ninputs:\n  maxFiles: { type: number }\nsteps:\n  - { id: a, type: shell, run: make }\n',
    {
      file,
    },
  );
  const invalidFile = 'flows/bad.yaml';
  const invalid = lintText('name: w\nsteps:\n  - { id: a, type: shell, run: make, needs: [b] }\n', {
    file: invalidFile,
  });
  return [
    { file, diagnostics: valid },
    { file: invalidFile, diagnostics: invalid },
    { file: 'flows/gone.yaml', diagnostics: [], error: 'cannot read flows/gone.yaml: no such file' },
  ];
}

describe('sarifLog', () => {
  const log = sarifLog(results(), { toolVersion: '1.2.3', cwd: CWD });
  const run = (log as SarifShape).runs[0]!;

  it('validates against the official SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    expect(validate(log) ? [] : validate.errors).toEqual([]);
  });

  it('describes every rule and suppression diagnostic, then each validation code seen, with a docs anchor', () => {
    const ids = run.tool.driver.rules.map((rule) => rule.id);
    expect(ids).toEqual([...LINT_RULES, ...META_RULES].map((rule) => rule.id).concat(['unknown-step']));
    expect(run.tool.driver.rules.find((rule) => rule.id === 'input-name-style')).toMatchObject({
      name: 'InputNameStyle',
      shortDescription: { text: expect.stringContaining('neither kebab-case nor snake_case') },
      fullDescription: { text: expect.any(String) },
      help: { text: expect.stringContaining('How to fix: '), markdown: expect.stringContaining('```yaml') },
      helpUri: 'https://flowline.dev/docs/lint-rules.md#input-name-style',
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['best-practice'] },
    });
    expect(run.tool.driver.rules.at(-1)).toMatchObject({
      id: 'unknown-step',
      helpUri: 'https://flowline.dev/docs/workflow-language.md#codes',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['validation'] },
    });
  });

  it('keeps descriptions within what GitHub takes (1024 characters)', () => {
    for (const rule of run.tool.driver.rules as unknown as {
      shortDescription: { text: string };
      fullDescription: { text: string };
    }[]) {
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(SARIF_DESCRIPTION_LIMIT);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(SARIF_DESCRIPTION_LIMIT);
    }
    expect(withinLimit('One. Two three. Four five six.', 20)).toBe('One. Two three.…');
    expect(withinLimit('Onetwo three four five', 12)).toBe('Onetwo…');
    expect(withinLimit('short', 20)).toBe('short');
  });

  it('gives each result its rule (by id and index), level, message and one location relative to cwd', () => {
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    const naming = run.results.find((r) => r.ruleId === 'input-name-style');
    expect(naming).toEqual({
      ruleId: 'input-name-style',
      ruleIndex: expect.any(Number),
      level: 'warning',
      message: { text: 'input "maxFiles": name is neither kebab-case nor snake_case; rename it "max_files"' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'flows/my%20flows/w.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 3, startColumn: 3, endLine: 3, endColumn: 11 },
          },
        },
      ],
    });
    expect(run.results.find((r) => r.ruleId === 'unknown-step')).toMatchObject({
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'flows/bad.yaml' } } }],
    });
  });

  it('names the run driver and the source root, and reports files it could not lint as failed execution', () => {
    expect(run.tool.driver).toMatchObject({ name: 'flowline-lint', version: '1.2.3', semanticVersion: '1.2.3' });
    expect(log).toMatchObject({ runs: [{ originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///work/repo/' } } }] });
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'cannot read flows/gone.yaml: no such file' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'flows/gone.yaml', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });

  it('would catch a broken log: the schema refuses a result without a message, or a line 0', () => {
    const broken = structuredClone(log) as SarifShape;
    const result = broken.runs[0]!.results[0]! as Partial<SarifShape['runs'][0]['results'][0]>;
    delete result.message;
    expect(sarifValidator()(broken)).toBe(false);
    const lineZero = JSON.parse(JSON.stringify(log).replace('"startLine":3', '"startLine":0')) as unknown;
    expect(sarifValidator()(lineZero)).toBe(false);
  });

  it('is still valid SARIF with no files and no results', () => {
    expect(sarifValidator()(sarifLog([], { toolVersion: '0.1.0', cwd: CWD }))).toBe(true);
  });
});
