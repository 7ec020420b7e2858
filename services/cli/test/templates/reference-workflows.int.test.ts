import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { runFlowline } from '../support/flowline-process.js';

const TEMPLATES = resolve('templates');
const REFERENCE = ['increase-test-coverage.yaml', 'fix-type-errors.yaml', 'code-migration.yaml'];

/**
 * The issue's bar for the reference workflows, checked as a user would run
 * it: `flowline lint templates/*.yaml` finds nothing, even with --strict, and
 * `flowline test templates/` passes every suite (each case runs the real
 * steps, and the real Claude Code CLI for the agents, on a fresh fixture copy).
 */
describe('the reference workflows', () => {
  it('are all there, each with its own test suite', () => {
    const files = readdirSync(TEMPLATES);
    for (const workflow of REFERENCE) {
      expect(files).toContain(workflow);
      expect(files).toContain(workflow.replace(/\.yaml$/, '.test.yaml'));
    }
  });

  it('are lint-clean: no errors and no warnings', async () => {
    // What the shell makes of templates/*.yaml: the workflows and their test suites.
    const files = readdirSync(TEMPLATES)
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => `templates/${file}`);
    const result = await runFlowline(['lint', '--strict', ...files]);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/no problems/);
  }, 60_000);

  it('pass their test suites (flowline test templates/)', async () => {
    const result = await runFlowline(['test', 'templates/', '--reporter', 'json']);
    // The JSON report is on stdout; stderr carries the pretty one, shown when a case fails.
    const report = JSON.parse(result.stdout) as { passed: number; failed: number };
    expect({ code: result.code, failed: report.failed, pretty: report.failed > 0 ? result.stderr : '' }).toEqual({
      code: 0,
      failed: 0,
      pretty: '',
    });
    expect(report.passed).toBeGreaterThanOrEqual(REFERENCE.length * 2);
  }, 900_000);
});
