import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { VERSION } from '../src/version.js';

/**
 * The installed command, as a user runs it: a separate Node process running
 * the compiled CLI through node_modules/.bin (the jest global setup builds it).
 */
function flowline(...args: string[]) {
  const result = spawnSync('node_modules/.bin/flowline', args, {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the flowline binary', () => {
  test('validates every example with exit 0', () => {
    const examples = readdirSync('templates/examples')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => join('templates/examples', f));
    const result = flowline('validate', ...examples);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('an invalid workflow: exit 1 with file:line:col on stderr', () => {
    const file = 'libs/workflow/fixtures/invalid/schema-unknown-step-type.yaml';
    const result = flowline('validate', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^${file}:6:11: error: step "a": unknown step type "shel"`));
  });

  test('a usage error exits 2', () => {
    expect(flowline('validate').code).toBe(2);
  });

  test('--version', () => {
    expect(flowline('--version')).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});
