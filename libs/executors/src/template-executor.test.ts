import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import type { RenderedTemplate } from '@flowline/engine';

import { templateExecutor } from './template-executor.js';
import { type TestContext, testContext } from './test-support/context.js';
import { renderedCommon } from './test-support/rendered.js';

let context: TestContext;
afterEach(() => context.cleanup());

function templateStep(output: string, content = 'hello\n'): RenderedTemplate {
  return {
    type: 'template',
    ...renderedCommon('t'),
    content,
    output,
    templateFile: undefined,
  };
}

describe('template executor', () => {
  it('writes the rendered text inside the workspace, creating directories', async () => {
    context = await testContext();
    const outcome = await templateExecutor.execute(templateStep('reports/r.md', 'héllo\n'), context);
    expect(outcome).toEqual({ ok: true, outputs: { path: 'reports/r.md', bytes: 7 } });
    expect(await readFile(join(context.workspace, 'reports/r.md'), 'utf8')).toBe('héllo\n');
  });

  it('writes into the capture directory when the attempt is captured, leaving the workspace alone', async () => {
    context = await testContext();
    const upperDir = join(context.scratchDir, 'upper');
    await mkdir(upperDir);
    const captured = { ...context, capture: { upperDir, workDir: join(context.scratchDir, 'work') } };
    expect((await templateExecutor.execute(templateStep('a/b.txt'), captured)).ok).toBe(true);
    expect(await readFile(join(upperDir, 'a/b.txt'), 'utf8')).toBe('hello\n');
    await expect(readFile(join(context.workspace, 'a/b.txt'))).rejects.toThrow();
  });

  it.each([
    ['/etc/evil', 'is absolute'],
    ['../outside.txt', 'climbs out'],
    ['a/../../outside.txt', 'climbs out'],
  ])('refuses %s', async (output, why) => {
    context = await testContext();
    const outcome = await templateExecutor.execute(templateStep(output), context);
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'path_escapes_workspace', message: expect.stringContaining(why), retryable: false },
    });
  });

  it('refuses a path through a symlink that points out of the workspace', async () => {
    context = await testContext();
    await symlink(context.scratchDir, join(context.workspace, 'link'));
    const outcome = await templateExecutor.execute(templateStep('link/escaped.txt'), context);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'path_escapes_workspace' } });
    await expect(readFile(join(context.scratchDir, 'escaped.txt'))).rejects.toThrow();
  });
});
