import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, test } from '@jest/globals';

import { loadWorkflowFile } from './load-workflow.js';

/**
 * Every file in fixtures/invalid is a workflow with one mistake. Its header
 * states, line by line, what `flowline validate` must say:
 *   # expect: LINE:COL CODE: MESSAGE
 * The test compares the full list — nothing missing, nothing extra.
 */
const directory = relative(process.cwd(), fileURLToPath(new URL('../fixtures/invalid', import.meta.url)));
const fixtures = readdirSync(directory).filter((name) => name.endsWith('.yaml'));

interface Expected {
  readonly line: number;
  readonly column: number;
  readonly code: string;
  readonly message: string;
}

function expectationsOf(text: string): Expected[] {
  return [...text.matchAll(/^# expect: (\d+):(\d+) ([a-z-]+): (.*)$/gm)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    code: m[3]!,
    message: m[4]!,
  }));
}

describe('invalid workflows', () => {
  test('there are at least 30 fixtures, each stating what it expects', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    const withoutExpectations = fixtures.filter(
      (name) => expectationsOf(readFileSync(join(directory, name), 'utf8')).length === 0,
    );
    expect(withoutExpectations).toEqual([]);
  });

  test.each(fixtures)('%s', async (name) => {
    const path = join(directory, name);
    const result = await loadWorkflowFile(path);
    expect(result.ok).toBe(false);
    const actual = result.diagnostics.map((d) => ({
      line: d.line,
      column: d.column,
      code: d.code,
      message: d.message,
    }));
    expect(actual).toEqual(expectationsOf(readFileSync(path, 'utf8')));
    for (const diagnostic of result.diagnostics) expect(diagnostic.file).toBe(path);
  });
});
