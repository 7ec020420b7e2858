import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { FlowlineError } from '@flowline/core';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';

import type { TemplateStep } from './compile/compiled-workflow.js';
import { type LoadResult, loadWorkflow, loadWorkflowFile } from './load-workflow.js';
import { DEFAULT_SOURCE_LIMITS } from './source/source-limits.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** How template_file paths appear in diagnostics: relative to the working directory. */

const brief = (result: LoadResult) =>
  result.diagnostics.map((d) => ({ line: d.line, column: d.column, code: d.code, message: d.message }));

const TEMPLATE_WORKFLOW = (templateFile: string) =>
  lines(
    'name: render', //                                 1
    'inputs:', //                                      2
    '  who: { type: string, default: world }', //      3
    'steps:', //                                       4
    '  - id: greet', //                                5
    '    type: template', //                           6
    `    template_file: ${templateFile}`, //           7
    '    output: greeting.txt', //                     8
  );

let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'flowline-load-'));
  dir = join(root, 'workflows');
  mkdirSync(dir);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadWorkflowFile: template_file', () => {
  test('a template file beside the workflow is read and compiled into the step', async () => {
    const text = 'Hello {{inputs.who}}!\nBye.\n';
    write('greet.hbs', text);
    const result = await loadWorkflowFile(write('w.yaml', TEMPLATE_WORKFLOW('greet.hbs')));
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const step = result.workflow.steps.get('greet') as TemplateStep;
    expect(step.type).toBe('template');
    expect(step.template.source).toBe(text);
    expect(step.template.isStatic).toBe(false);
    expect(step.templateFile).toBe('greet.hbs');
    expect(step.output.source).toBe('greeting.txt');
  });

  test('a template file in a subdirectory, and one reached by a symlink that stays inside', async () => {
    mkdirSync(join(dir, 'templates'));
    write('templates/real.hbs', 'inside {{inputs.who}}');
    symlinkSync(join(dir, 'templates', 'real.hbs'), join(dir, 'link.hbs'));
    const viaSubdirectory = await loadWorkflowFile(write('a.yaml', TEMPLATE_WORKFLOW('templates/real.hbs')));
    const viaLink = await loadWorkflowFile(write('b.yaml', TEMPLATE_WORKFLOW('link.hbs')));
    for (const result of [viaSubdirectory, viaLink]) {
      expect(result.diagnostics).toEqual([]);
      expect(result.ok && (result.workflow.steps.get('greet') as TemplateStep).template.source).toBe(
        'inside {{inputs.who}}',
      );
    }
  });

  test("the template file's text is part of the workflow's digest", async () => {
    const path = write('w.yaml', TEMPLATE_WORKFLOW('greet.hbs'));
    write('greet.hbs', 'one');
    const first = await loadWorkflowFile(path);
    write('greet.hbs', 'two');
    const second = await loadWorkflowFile(path);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(first.workflow.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(second.workflow.digest).not.toBe(first.workflow.digest);
  });

  test("a symlink that resolves outside the workflow's directory is refused", async () => {
    writeFileSync(join(root, 'secret.hbs'), 'not for workflows');
    symlinkSync(join(root, 'secret.hbs'), join(dir, 'escape.hbs'));
    const result = await loadWorkflowFile(write('w.yaml', TEMPLATE_WORKFLOW('escape.hbs')));
    expect(result.ok).toBe(false);
    expect(brief(result)).toEqual([
      {
        line: 7,
        column: 20,
        code: 'template-file-unreadable',
        message: `step "greet": template_file: ${join(dir, 'escape.hbs')} resolves outside the workflow's directory`,
      },
    ]);
    expect(result.diagnostics[0]!.message).toContain("resolves outside the workflow's directory");
  });

  test('a symlinked directory that leads outside is refused too', async () => {
    mkdirSync(join(root, 'elsewhere'));
    writeFileSync(join(root, 'elsewhere', 't.hbs'), 'x');
    symlinkSync(join(root, 'elsewhere'), join(dir, 'shared'));
    const result = await loadWorkflowFile(write('w.yaml', TEMPLATE_WORKFLOW('shared/t.hbs')));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['template-file-unreadable']);
    expect(result.diagnostics[0]!.message).toContain("resolves outside the workflow's directory");
  });

  test("a template file's own mistakes are placed in the template file", async () => {
    const template = write('greet.hbs', 'Dear reader,\nHello {{inputs.whom}}!\n');
    const workflow = write('w.yaml', TEMPLATE_WORKFLOW('greet.hbs'));
    const result = await loadWorkflowFile(workflow);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'unknown-input',
        message: 'step "greet": unknown input "whom" (did you mean "who"?)',
        // Named as the workflow was: this one was loaded by absolute path.
        file: template,
        line: 2,
        column: 9,
        endLine: 2,
        endColumn: 9,
        path: 'steps.0.template_file',
        stepId: 'greet',
      },
    ]);
    expect(resolve(result.diagnostics[0]!.file)).toBe(template);
  });

  test('an inline workflow that names a template_file, with no reader, cannot use it', () => {
    const result = loadWorkflow(TEMPLATE_WORKFLOW('greet.hbs'), { file: '<request>' });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'template-file-unavailable',
        message: 'step "greet": template_file needs a workflow read from a file; use an inline template: instead',
        file: '<request>',
        line: 7,
        column: 20,
        endLine: 7,
        endColumn: 29,
        path: 'steps.0.template_file',
        stepId: 'greet',
      },
    ]);
  });
});

describe('loadWorkflowFile: the file itself', () => {
  const VALID = lines('name: x', 'steps:', '  - id: a', '    type: shell', '    run: echo a');

  test('a file over 1 MiB is refused before it is parsed', async () => {
    // Not YAML at all: parsing it would add a syntax error.
    const path = write('big.yaml', `name: [unclosed\n${'#'.repeat(2 * 1024 * 1024)}\n`);
    const result = await loadWorkflowFile(path);
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([
      {
        severity: 'error',
        code: 'file-too-large',
        message: 'workflow file is 2 MiB; the limit is 1 MiB',
        file: path,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
      },
    ]);
  });

  test('a file of exactly 1 MiB is read', async () => {
    const padding = 1024 * 1024 - Buffer.byteLength(VALID) - 1;
    const path = write('full.yaml', `${VALID}${'#'.repeat(padding)}\n`);
    const result = await loadWorkflowFile(path);
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  test('a missing file throws file_unreadable', async () => {
    const path = join(dir, 'absent.yaml');
    const error = await loadWorkflowFile(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlowlineError);
    expect(error).toMatchObject({
      code: 'file_unreadable',
      retryable: false,
      message: `cannot read ${path}: no such file`,
    });
  });

  test('a directory throws file_unreadable', async () => {
    const error = await loadWorkflowFile(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlowlineError);
    expect(error).toMatchObject({ code: 'file_unreadable', message: `cannot read ${dir}: it is a directory` });
    expect((error as Error).message).toContain('it is a directory');
  });

  test('custom limits: maxDepth', async () => {
    // Root mapping → steps → step: 3 levels.
    const shallow = write('shallow.yaml', VALID);
    const limits = { ...DEFAULT_SOURCE_LIMITS, maxDepth: 3 };
    expect((await loadWorkflowFile(shallow, limits)).diagnostics).toEqual([]);
    // `needs: [a]` is a fourth level.
    const deep = write('deep.yaml', `${VALID}  - { id: b, type: shell, run: echo b, needs: [a] }\n`);
    expect((await loadWorkflowFile(deep)).ok).toBe(true);
    const result = await loadWorkflowFile(deep, limits);
    expect(brief(result)).toEqual([
      // Reported where the fourth level starts: the `[a]` of needs.
      { line: 6, column: 47, code: 'yaml-too-deep', message: 'nesting is deeper than 3 levels' },
    ]);
  });

  test('custom limits: maxBytes and maxAliasExpansion', async () => {
    const path = write('w.yaml', VALID);
    const small = await loadWorkflowFile(path, { ...DEFAULT_SOURCE_LIMITS, maxBytes: 50 });
    expect(brief(small)).toEqual([
      {
        line: 1,
        column: 1,
        code: 'file-too-large',
        message: `workflow file is ${Buffer.byteLength(VALID)} B; the limit is 50 B`,
      },
    ]);
    const shared = write(
      'shared.yaml',
      lines(
        'name: x', //                                          1
        'metadata:', //                                        2
        '  env: &e { A: a, B: b }', //                         3
        'steps:', //                                           4
        '  - { id: a, type: shell, run: echo, env: *e }', //   5
        '  - { id: b, type: shell, run: echo, env: *e }', //   6
      ),
    );
    expect((await loadWorkflowFile(shared, { ...DEFAULT_SOURCE_LIMITS, maxAliasExpansion: 6 })).ok).toBe(true);
    const result = await loadWorkflowFile(shared, { ...DEFAULT_SOURCE_LIMITS, maxAliasExpansion: 5 });
    expect(result.diagnostics.map((d) => [d.line, d.column, d.code, d.path])).toEqual([
      [6, 43, 'yaml-alias-limit', 'steps.1.env'],
    ]);
  });
});

describe('loadWorkflow: results', () => {
  test('warnings come back with a valid workflow', () => {
    const text = lines(
      'name: x', //                                                     1
      'inputs:', //                                                     2
      '  repo: { type: string, required: true, default: main }', //     3
      'steps:', //                                                      4
      '  - id: a', //                                                   5
      '    type: shell', //                                             6
      '    run: git clone {{inputs.repo}}', //                          7
    );
    const result = loadWorkflow(text, { file: 'w.yaml' });
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'input-required-with-default',
        message: 'input "repo": is required and has a default; the default is never used',
        file: 'w.yaml',
        line: 3,
        column: 35,
        endLine: 3,
        endColumn: 39,
        path: 'inputs.repo.required',
      },
    ]);
    expect(result.ok && result.workflow.inputs).toEqual([
      { name: 'repo', type: 'string', required: true, default: 'main' },
    ]);
  });

  test('diagnostics are sorted by line, then column, whatever order the rules found them in', () => {
    // The graph rules (unknown-step) run before the template rules (unknown-input).
    const text = lines(
      'name: x', //                                                                          1
      'inputs: { repo: {} }', //                                                             2
      'steps:', //                                                                           3
      '  - id: a', //                                                                        4
      '    type: shell', //                                                                  5
      '    run: echo {{inputs.rpo}}', //                                                     6
      '  - { id: b, type: shell, run: "echo {{inputs.zz}}", needs: [nope] }', //             7
      '  - id: c', //                                                                        8
      '    type: shell', //                                                                  9
      '    run: echo c', //                                                                  10
      '    needs: [missing]', //                                                             11
    );
    const result = loadWorkflow(text, { file: 'w.yaml' });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => [d.line, d.column, d.code])).toEqual([
      [6, 17, 'unknown-input'],
      [7, 40, 'unknown-input'],
      [7, 62, 'unknown-step'],
      [11, 13, 'unknown-step'],
    ]);
  });
});
