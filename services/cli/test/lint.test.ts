import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';

import { VERSION } from '../src/version.js';
import { flowlineInProcess as flowline } from './support/in-process.js';

/** Passes every rule of the catalogue: the baseline the other workflows break one thing of. */
const CLEAN = `version: 1
name: clean
description: Say hello
inputs:
  who: { type: string, default: world, description: Who to greet }
steps:
  - id: greet
    type: shell
    name: Greet
    timeout: 1m
    env: { WHO: '{{inputs.who}}' }
    run: echo "Hello, $WHO"
`;

/** CLEAN with one step that has neither name nor description (a step-missing-description warning at 13:11). */
const ONE_WARNING = `${CLEAN}  - { id: bye, type: shell, timeout: 1m, run: echo bye }\n`;

const INVALID = 'name: broken\nsteps:\n  - { id: a, type: shell, run: make, needs: [deploy] }\n';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'flowline-lint-cli-'));
  // The repository's root for the config search: a .flowline-lint.yaml above the test directory never applies.
  await mkdir(join(root, '.git'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<string> {
  const file = join(root, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('flowline lint: text output and exit status', () => {
  test('a clean workflow: "no problems", exit 0 even with --strict', async () => {
    const file = await write('clean.yaml', CLEAN);
    expect(await flowline(['lint', '--strict', file])).toEqual({
      code: 0,
      stdout: 'no problems in 1 file\n',
      stderr: '',
    });
  });

  test('warnings: file:line:col lines and a summary on stdout, exit 0; --strict makes it 1', async () => {
    const file = await write('w.yaml', ONE_WARNING);
    const result = await flowline(['lint', file]);
    expect(result).toEqual({
      code: 0,
      stdout:
        `${file}:13:11: warning: step "bye" has neither a name nor a description [step-missing-description]\n` +
        '1 problem (0 errors, 1 warning) in 1 file\n',
      stderr: '',
    });
    expect((await flowline(['lint', '--strict', file])).code).toBe(1);
  });

  test('--quiet leaves warnings out, and --strict still counts them', async () => {
    const file = await write('w.yaml', ONE_WARNING);
    expect(await flowline(['lint', '-q', file])).toEqual({ code: 0, stdout: 'no problems in 1 file\n', stderr: '' });
    expect((await flowline(['lint', '-q', '--strict', file])).code).toBe(1);
  });

  test('an invalid workflow reports its validation errors, and no rule runs: exit 1', async () => {
    const file = await write('broken.yaml', INVALID);
    const result = await flowline(['lint', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${file}:3:46: error: step "a": needs names unknown step "deploy" [unknown-step]\n` +
        '1 problem (1 error, 0 warnings) in 1 file\n',
    );
  });

  test('a directory lints the workflow files directly in it, not test suites; the summary counts files', async () => {
    await write('flows/a.yaml', CLEAN);
    await write('flows/b.yml', ONE_WARNING);
    await write('flows/a.test.yaml', 'cases: []\n');
    await write('flows/sub/c.yaml', INVALID);
    const result = await flowline(['lint', join(root, 'flows')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `${join(root, 'flows/b.yml')}:13:11: warning: step "bye" has neither a name nor a description [step-missing-description]\n` +
        '1 problem (0 errors, 1 warning) in 1 file\n',
    );
  });

  test('a test suite named outright (as templates/*.yaml names it) is checked against its workflow, not linted as one', async () => {
    const workflow = await write('wf/clean.yaml', CLEAN);
    const good = await write('wf/clean.test.yaml', 'cases:\n  - name: greets\n    inputs: { who: Ada }\n');
    const bad = await write(
      'wf/broken.test.yaml',
      'workflow: clean.yaml\ncases:\n  - name: x\n    mocks: { greet2: { outputs: {} } }\n',
    );

    const clean = await flowline(['lint', '--strict', good, workflow]);
    expect(clean).toMatchObject({ code: 0, stdout: 'no problems in 2 files\n' });

    const broken = await flowline(['lint', bad, workflow]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      `${bad}:4:14: error: workflow "clean" has no step "greet2" (did you mean "greet"?) [unknown-step]`,
    );
  });

  test('a file that cannot be read: reason on stderr, the others still linted, exit 2', async () => {
    const file = await write('w.yaml', ONE_WARNING);
    const missing = join(root, 'missing.yaml');
    const result = await flowline(['lint', missing, file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`flowline: error: cannot read ${missing}: no such file\n`);
    expect(result.stdout).toContain('[step-missing-description]');
  });

  test('a directory without workflow files and an unknown format are usage errors: exit 2', async () => {
    await mkdir(join(root, 'empty'));
    const empty = await flowline(['lint', join(root, 'empty')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe(
      `flowline: error: no workflow files (*.yaml, *.yml) in directory ${join(root, 'empty')}\n`,
    );
    const format = await flowline(['lint', '--format', 'xml', join(root, 'empty')]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/^flowline: error: --format must be text, json or sarif, got "xml"\n/);
  });

  test('is listed by flowline --help', async () => {
    expect((await flowline(['--help'])).stdout).toMatch(/\n {2}lint +Check workflow files against the lint rules/);
  });
});

describe('flowline lint: suppression comments', () => {
  test('suppress the named rule on the next line; a misspelt or idle one is reported at the comment', async () => {
    const suppressed = ONE_WARNING.replace(
      '  - { id: bye',
      '  # flowline-lint-disable-next-line step-missing-description -- farewell\n  - { id: bye',
    );
    expect((await flowline(['lint', await write('ok.yaml', suppressed)])).stdout).toBe('no problems in 1 file\n');

    const misspelt = ONE_WARNING.replace(
      '  - { id: bye',
      '  # flowline-lint-disable-next-line step-missing-descripton\n  - { id: bye',
    );
    const file = await write('typo.yaml', `${misspelt}# flowline-lint-disable missing-version\n`);
    expect((await flowline(['lint', file])).stdout).toBe(
      `${file}:13:37: warning: unknown lint rule "step-missing-descripton" (did you mean "step-missing-description"?) [unknown-lint-rule]\n` +
        `${file}:14:11: warning: step "bye" has neither a name nor a description [step-missing-description]\n` +
        `${file}:15:25: warning: "missing-version" reports nothing anywhere in this file, so this suppression does nothing; remove it [unused-lint-suppression]\n` +
        '3 problems (0 errors, 3 warnings) in 1 file\n',
    );
  });
});

describe('flowline lint: configuration', () => {
  test('the nearest .flowline-lint.yaml sets severities: error makes exit 1, off silences', async () => {
    await write('.flowline-lint.yaml', 'rules:\n  step-missing-description: error\n');
    await write('team/.flowline-lint.yaml', 'rules:\n  step-missing-description: off\n');
    const strict = await write('flows/w.yaml', ONE_WARNING);
    const relaxed = await write('team/flows/w.yaml', ONE_WARNING);
    const result = await flowline(['lint', strict, relaxed]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `${strict}:13:11: error: step "bye" has neither a name nor a description [step-missing-description]\n` +
        '1 problem (1 error, 0 warnings) in 1 file\n',
    );
  });

  test('--config applies one file to every workflow, whatever lies nearer', async () => {
    await write('flows/.flowline-lint.yaml', 'rules:\n  step-missing-description: off\n');
    const config = await write('ci-lint.yaml', 'rules:\n  step-missing-description: error\n');
    const file = await write('flows/w.yaml', ONE_WARNING);
    const result = await flowline(['lint', '--config', config, file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error: step "bye" has neither a name nor a description');
  });

  test('a bad config: each problem at file:line:col on stderr, nothing linted under it, exit 2', async () => {
    const config = await write(
      '.flowline-lint.yaml',
      'rules:\n  step-mising-description: off\n  missing-version: warn\n',
    );
    const file = await write('w.yaml', ONE_WARNING);
    const result = await flowline(['lint', file]);
    expect(result.code).toBe(2);
    // Outside the current directory, so named by its absolute path.
    const shown = config;
    expect(result.stderr).toBe(
      `${shown}:2:3: error: unknown lint rule "step-mising-description" (did you mean "step-missing-description"?) [unknown-lint-rule]\n` +
        `${shown}:3:20: error: rule "missing-version": severity must be error, warning or off, not "warn" [bad-value]\n` +
        `flowline: error: ${file} was not linted: its lint config ${shown} cannot be used\n`,
    );
    expect(result.stdout).toBe('no problems in 0 files\n');
  });

  test('a --config file that does not exist: exit 2', async () => {
    const file = await write('w.yaml', CLEAN);
    const result = await flowline(['lint', '--config', join(root, 'nope.yaml'), file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `flowline: error: cannot read lint config ${join(root, 'nope.yaml')}: no such file\n`,
    );
  });
});

describe('flowline lint: machine-readable output', () => {
  test('--format json: one report with counts, and each diagnostic with its category', async () => {
    const file = await write('w.yaml', ONE_WARNING);
    const broken = await write('broken.yaml', INVALID);
    const result = await flowline(['lint', '--format', 'json', file, broken]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { errors: number; warnings: number; files: unknown[] };
    expect(report).toMatchObject({
      errors: 1,
      warnings: 1,
      files: [
        {
          file,
          diagnostics: [
            {
              severity: 'warning',
              code: 'step-missing-description',
              category: 'best-practice',
              line: 13,
              column: 11,
              stepId: 'bye',
              path: 'steps.1.id',
            },
          ],
        },
        { file: broken, diagnostics: [{ code: 'unknown-step', category: 'validation', severity: 'error' }] },
      ],
    });
  });

  test('--format sarif: results with rule, configured level and a cwd-relative location', async () => {
    await write('.flowline-lint.yaml', 'rules:\n  step-missing-description: error\n');
    const file = await write('flows/w.yaml', ONE_WARNING);
    const result = await flowline(['lint', '-f', 'sarif', file]);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; version: string; rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; locations: unknown[] }[];
      }[];
    };
    const run = log.runs[0]!;
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'flowline-lint', version: VERSION });
    expect(run.results).toHaveLength(1);
    const [finding] = run.results;
    expect(run.tool.driver.rules[finding!.ruleIndex]?.id).toBe('step-missing-description');
    expect(finding).toMatchObject({
      ruleId: 'step-missing-description',
      level: 'error',
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relative(process.cwd(), file).split('\\').join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: 13, startColumn: 11, endLine: 13, endColumn: 14 },
          },
        },
      ],
    });
  });
});
