import { chmod, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { BwrapSandbox } from './bwrap-sandbox.js';
import { UNSANDBOXED_WARNING, createSandbox } from './create-sandbox.js';
import { NoSandbox } from './no-sandbox.js';
import { findProgram } from './sandbox-programs.js';
import { TempDirs } from './test-support/temp-dir.js';

const dirs = new TempDirs();
afterAll(() => dirs.removeAll());
const searchPath = process.env.PATH ?? '';

describe('createSandbox', () => {
  it('gives bubblewrap by default, with every program resolved to an absolute path', () => {
    for (const mode of [undefined, '', 'bwrap']) {
      const { sandbox, warning } = createSandbox({ mode, searchPath });
      expect(warning).toBeUndefined();
      if (!(sandbox instanceof BwrapSandbox)) throw new Error(`expected BwrapSandbox, got ${sandbox.kind}`);
      const { bwrap, prlimit, unshare, mount, sh } = sandbox.programs;
      expect([bwrap, prlimit, unshare, mount, sh].every((path) => path.startsWith('/'))).toBe(true);
    }
  });

  it('gives NoSandbox for none, with a warning saying steps run unsandboxed', () => {
    const { sandbox, warning } = createSandbox({ mode: 'none', searchPath: '/nowhere' });
    expect(sandbox).toBeInstanceOf(NoSandbox);
    expect(warning).toBe(UNSANDBOXED_WARNING);
    expect(warning).toMatch(/steps run unsandboxed/);
  });

  it('rejects any other mode with one line naming FLOWLINE_SANDBOX and its values', () => {
    expect(() => createSandbox({ mode: 'docker', searchPath })).toThrow(
      expect.objectContaining({
        code: 'bad_config',
        message: 'FLOWLINE_SANDBOX must be one of bwrap, none; got "docker"',
      }),
    );
  });

  it('says sandbox_unavailable, never falls back, when bwrap is not on the PATH', () => {
    expect(() => createSandbox({ searchPath: '/nowhere:/also/nowhere' })).toThrow(
      expect.objectContaining({
        code: 'sandbox_unavailable',
        message:
          'sandbox unavailable: bwrap was not found on the PATH (/nowhere:/also/nowhere); install bubblewrap, ' +
          'or set FLOWLINE_SANDBOX=none to run steps unsandboxed',
      }),
    );
  });

  it('says sandbox_unavailable when the bwrap found cannot run', async () => {
    const bin = await dirs.make('flowline-bin-');
    await writeFile(join(bin, 'bwrap'), '#!/bin/sh\necho "bwrap: broken" >&2\nexit 1\n');
    await chmod(join(bin, 'bwrap'), 0o755);
    for (const name of ['prlimit', 'unshare', 'mount', 'sh'])
      await symlink(findProgram(name, searchPath) ?? '', join(bin, name));
    expect(() => createSandbox({ searchPath: bin })).toThrow(
      expect.objectContaining({
        code: 'sandbox_unavailable',
        message: expect.stringContaining(`${join(bin, 'bwrap')} --version failed (bwrap: broken)`) as unknown,
      }),
    );
  });
});
