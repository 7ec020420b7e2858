import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, test } from '@jest/globals';

import { VERSION } from '../src/version.js';
import { flowlineInProcess as flowline } from './support/in-process.js';

const EXAMPLES = 'templates/examples';
const INVALID = 'libs/workflow/fixtures/invalid';

const examples = readdirSync(EXAMPLES)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(EXAMPLES, f));

describe('flowline validate', () => {
  test('every example is valid: exit 0, one line per file on stdout, nothing on stderr', async () => {
    const result = await flowline(['validate', ...examples]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trim().split('\n')).toHaveLength(examples.length);
    expect(result.stdout).toContain(`✓ ${EXAMPLES}/hello.yaml is valid (1 step)`);
  });

  test('an invalid file: exit 1, file:line:col and the reason on stderr', async () => {
    const file = `${INVALID}/logic-unknown-need.yaml`;
    const result = await flowline(['validate', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `${file}:10:13: error: step "test": needs names unknown step "biuld" (did you mean "build"?) [unknown-step]\n`,
    );
  });

  test('valid and invalid together: exit 1 and a summary', async () => {
    const result = await flowline(['validate', `${EXAMPLES}/hello.yaml`, `${INVALID}/logic-cycle.yaml`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('hello.yaml is valid');
    expect(result.stderr).toContain('dependency cycle: a → b → c → a');
    expect(result.stderr).toMatch(/1 of 2 files invalid \(1 error\)\n$/);
  });

  test('a file that cannot be read is a usage error: exit 2', async () => {
    const result = await flowline(['validate', 'no/such/file.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('flowline: error: cannot read no/such/file.yaml: no such file\n');
  });

  test('--json prints one machine-readable report on stdout', async () => {
    const file = `${INVALID}/schema-bad-duration.yaml`;
    const result = await flowline(['validate', '--json', `${EXAMPLES}/hello.yaml`, file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as { valid: boolean; files: unknown[] };
    expect(report.valid).toBe(false);
    expect(report.files).toEqual([
      { file: `${EXAMPLES}/hello.yaml`, valid: true, steps: 1, diagnostics: [] },
      {
        file,
        valid: false,
        diagnostics: [
          {
            severity: 'error',
            code: 'bad-duration',
            message:
              'step "a": timeout "10 minutes" is not a duration; write a number and a unit: 250ms, 30s, 10m, 2h, 7d',
            file,
            line: 8,
            column: 14,
            endLine: 8,
            endColumn: 24,
            path: 'steps.0.timeout',
            stepId: 'a',
          },
        ],
      },
    ]);
  });

  test('--quiet prints only problems', async () => {
    expect(await flowline(['validate', '-q', `${EXAMPLES}/hello.yaml`])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('colour only when asked for or on a terminal, and never with NO_COLOR', async () => {
    const file = `${INVALID}/logic-cycle.yaml`;
    expect((await flowline(['validate', file])).stderr).not.toContain('\u001b[');
    expect((await flowline(['validate', file], { FORCE_COLOR: '1' })).stderr).toContain('\u001b[31merror\u001b[0m');
  });
});

describe('flowline graph', () => {
  test('mermaid by default, conditional edges labelled with their branch', async () => {
    const result = await flowline(['graph', `${EXAMPLES}/conditional-join.yaml`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'flowchart TD',
        '  s0["measure<br/>shell"]',
        '  s1{"gate<br/>conditional"}',
        '  s2["celebrate<br/>shell"]',
        '  s3["improve<br/>shell"]',
        '  s4[/"summary<br/>template · none_failed"/]',
        '  s0 --> s1',
        '  s1 -- then --> s2',
        '  s1 -- else --> s3',
        '  s2 --> s4',
        '  s3 --> s4',
        '',
      ].join('\n'),
    );
  });

  test('dot', async () => {
    const result = await flowline(['graph', '--format', 'dot', `${EXAMPLES}/diamond.yaml`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^digraph "diamond" \{\n/);
    expect(result.stdout).toContain('"prepare" -> "sum";\n  "prepare" -> "squares";');
    expect(result.stdout).toContain('"check" [label="check\\nassert", shape=hexagon];');
    expect(result.stdout.trimEnd().endsWith('}')).toBe(true);
  });

  test('an unknown format is a usage error', async () => {
    const result = await flowline(['graph', '--format', 'png', `${EXAMPLES}/hello.yaml`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format must be mermaid or dot, got "png"');
    expect(result.stderr).toContain('Run "flowline graph --help" for usage.');
  });

  test('an invalid workflow prints its problems and exits 1', async () => {
    const result = await flowline(['graph', `${INVALID}/logic-self-cycle.yaml`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('dependency cycle: a → a [cycle]');
  });
});

describe('usage', () => {
  test('--help and --version work at the top and after every command', async () => {
    for (const args of [['--help'], ['-h'], ['validate', '--help'], ['graph', '-h']]) {
      const result = await flowline(args);
      expect({ args, code: result.code }).toEqual({ args, code: 0 });
      expect(result.stdout).toContain('Usage: ');
    }
    for (const args of [['--version'], ['validate', '--version'], ['graph', '-V']]) {
      expect(await flowline(args)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    }
  });

  test('no command prints help and exits 2', async () => {
    const result = await flowline([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Commands:');
  });

  test.each([
    [['deploy'], 'unknown command "deploy"', 'flowline --help'],
    [['validate'], 'validate needs a file', 'flowline validate --help'],
    [['validate', '--nope', 'x.yaml'], "unknown option '--nope'", 'flowline validate --help'],
    [['graph', 'a.yaml', 'b.yaml'], 'graph takes one file, got 2', 'flowline graph --help'],
  ])('%j is a usage error', async (args, message, hint) => {
    const result = await flowline(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`flowline: error: ${message}\nRun "${hint}" for usage.\n`);
  });
});
