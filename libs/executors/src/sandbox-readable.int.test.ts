import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { BwrapSandbox } from '@flowline/sandbox';

import { loadExecutorConfig } from './executor-config.js';
import { shellExecutor } from './shell-executor.js';
import { type TestContext, testContext } from './test-support/context.js';
import { shellStep } from './test-support/rendered.js';

let context: TestContext;
let outside: string;
afterEach(async () => {
  await context.cleanup();
  await rm(outside, { recursive: true, force: true });
});

describe('FLOWLINE_SANDBOX_READABLE', () => {
  it('lets a sandboxed step read, not write, a directory under /tmp that a workspace symlink leads to', async () => {
    // A checkout under /tmp whose node_modules a workspace links to: hidden by the sandbox's private /tmp.
    outside = await mkdtemp(join(tmpdir(), 'flowline-linked-'));
    await writeFile(join(outside, 'lib.txt'), 'linked\n');
    const read = shellStep('cat deps/lib.txt; echo x > deps/new.txt');

    context = await testContext({ sandbox: new BwrapSandbox() });
    await symlink(outside, join(context.workspace, 'deps'));
    const hidden = await shellExecutor.execute(read, context);
    expect(hidden.ok).toBe(false);
    expect(context.logs.map((l) => l.text).join('')).toContain('No such file or directory');
    await context.cleanup();

    const config = loadExecutorConfig({ FLOWLINE_SANDBOX_READABLE: `/nonexistent-but-fine:${outside}` });
    expect(config.sandboxReadable).toEqual(['/nonexistent-but-fine', outside]);
    context = await testContext({ sandbox: new BwrapSandbox(), config: { sandboxReadable: [outside] } });
    await symlink(outside, join(context.workspace, 'deps'));
    const shown = await shellExecutor.execute(read, context);
    expect(shown.ok).toBe(false); // the write is refused: read-only
    const log = context.logs.map((l) => l.text).join('');
    expect(log).toContain('linked\n');
    expect(log).toContain('Read-only file system');
  }, 30_000);

  it('refuses a relative path, naming the variable', () => {
    expect(() => loadExecutorConfig({ FLOWLINE_SANDBOX_READABLE: '/ok:node_modules' })).toThrow(
      'FLOWLINE_SANDBOX_READABLE: "node_modules" is not an absolute path',
    );
  });
});
