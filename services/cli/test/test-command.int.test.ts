import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { runFlowline } from './support/flowline-process.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = 'libs/workflow-testing/fixtures/example';

const WORKFLOW = `version: 1
name: greet
inputs: { who: { type: string, default: world } }
steps:
  - { id: hello, type: shell, run: 'echo "Hello, {{inputs.who}}" > hello.txt; echo "said=yes" >> "$FLOWLINE_OUTPUT"' }
outputs: { said: '{{steps.hello.outputs.said}}' }
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowline-test-cli-'));
  await writeFile(join(dir, 'greet.yaml'), WORKFLOW);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => writeFile(join(dir, name), text);

describe('flowline test', () => {
  it('runs the example suite — shell steps, a fan-out agent on the real CLI, skips, the cache — and exits 0', async () => {
    const result = await runFlowline(['test', EXAMPLE], { cwd: REPO });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      new RegExp(
        [
          `^${EXAMPLE}/tidy-notes.test.yaml`,
          '  ✓ one agent per file resolves every TODO \\(.+\\)',
          '  ✓ below the threshold nothing is fixed \\(.+\\)',
          '  ✓ an agent that changes nothing fails the check \\(.+\\)',
          '  ✓ a second run takes the count from the cache \\(.+\\)',
          '4 passed, 0 failed \\(.+\\)\n$',
        ].join('\n'),
      ),
    );
    expect(result.code).toBe(0);
  }, 120_000);

  it('exits 1 when a case fails, printing each failure at its line; --output writes JUnit for CI', async () => {
    await write(
      'greet.test.yaml',
      `cases:
  - name: greets the world
    expect: { files: { hello.txt: "Hello, world\\n" } }
  - name: greets wrongly
    inputs: { who: you }
    expect:
      outputs: { said: no }
      files: { hello.txt: { contains: world } }
`,
    );
    const result = await runFlowline(['test', '--reporter', 'junit', '--output', 'report.xml'], { cwd: dir });
    expect(result.stdout).toMatch(/^greet\.test\.yaml\n {2}✓ greets the world \(.+\)\n {2}✗ greets wrongly \(.+\)\n/);
    expect(result.stdout).toContain(
      [
        '      greet.test.yaml:7:18: run output "said"',
        '        expected: "no"',
        '        actual:   "yes"',
        '      greet.test.yaml:8:16: file hello.txt',
        '        expected: contains "world"',
        '        actual:   "Hello, you\\n"',
      ].join('\n'),
    );
    expect(result.stdout).toMatch(/\n1 passed, 1 failed \(.+\)\n$/);
    expect(result.code).toBe(1);
    const xml = await readFile(join(dir, 'report.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites name="flowline test" tests="2" failures="1" errors="0" time="[\d.]+">/);
    expect(xml).toMatch(
      /<testsuite name="greet.test.yaml" tests="2" failures="1" errors="0" skipped="0" time="[\d.]+">/,
    );
    expect(xml).toMatch(
      /<testcase classname="greet" name="greets the world" file="greet.test.yaml" line="2" time="[\d.]+"\/>/,
    );
    expect(xml).toContain(
      '<failure message="run output &quot;said&quot;: expected &quot;no&quot;, got &quot;yes&quot; (and 1 more)" type="ExpectationFailed">',
    );
  }, 60_000);

  it('--reporter json prints one document on stdout and the progress on stderr; an --output that cannot be written is exit 2', async () => {
    await write('greet.test.yaml', 'cases:\n  - name: says yes\n    expect: { outputs: { said: "yes" } }\n');
    const result = await runFlowline(['test', 'greet.test.yaml', '--reporter', 'json', '--jobs', '1'], { cwd: dir });
    expect(JSON.parse(result.stdout)).toMatchObject({
      passed: 1,
      failed: 0,
      files: [{ file: 'greet.test.yaml', workflow: 'greet', cases: [{ name: 'says yes', status: 'passed', line: 2 }] }],
    });
    expect(result.stderr).toMatch(/^greet\.test\.yaml\n {2}✓ says yes \(.+\)\n1 passed, 0 failed/);
    expect(result.code).toBe(0);
    const unwritable = await runFlowline(['test', '--reporter', 'json', '--output', 'no/such/dir/r.json'], {
      cwd: dir,
    });
    expect(unwritable.stderr).toMatch(/^flowline: error: cannot write the report to no\/such\/dir\/r\.json: ENOENT/m);
    expect(unwritable.code).toBe(2);
  }, 60_000);

  it('an invalid test file: every problem at its place, exit 2, and no case of any file runs', async () => {
    await write('greet.test.yaml', 'cases:\n  - name: fine\n');
    await write(
      'other.test.yaml',
      'workflow: greet.yaml\ncases:\n  - name: wrong\n    mocks: { helo: {} }\n    expect: { status: done }\n',
    );
    const result = await runFlowline(['test', '.'], { cwd: dir });
    expect(result.stderr).toBe(
      [
        'other.test.yaml:4:14: error: workflow "greet" has no step "helo" (did you mean "hello"?) [unknown-step]',
        'other.test.yaml:5:23: error: expect.status: unknown "done"; one of succeeded, failed, cancelled [unknown-status]',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  }, 60_000);

  it('usage errors exit 2: no test files, a path that is not there, a bad option value', async () => {
    const none = await runFlowline(['test'], { cwd: dir });
    expect(none).toMatchObject({ code: 2, stderr: 'flowline: error: no test files (*.test.yaml) found in .\n' });
    const missing = await runFlowline(['test', 'nowhere'], { cwd: dir });
    expect(missing.stderr).toContain('flowline: error: nowhere: no such file or directory\nRun "flowline test --help"');
    expect(missing.code).toBe(2);
    for (const [option, value, message] of [
      ['--reporter', 'xml', '--reporter must be one of pretty, json, junit, not "xml"'],
      ['--jobs', '0', '--jobs must be a whole number ≥ 1, not "0"'],
      ['--timeout', 'soon', '--timeout must be a duration such as 90s or 10m, not "soon"'],
    ] as const) {
      const result = await runFlowline(['test', option, value], { cwd: dir });
      expect(result.stderr).toContain(`flowline: error: ${message}\n`);
      expect(result.code).toBe(2);
    }
  }, 60_000);
});
