import { lstat, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { BwrapSandbox } from './bwrap-sandbox.js';
import { checkSandbox } from './check-sandbox.js';
import { NoSandbox } from './no-sandbox.js';
import { CAPTURE_MOUNT_FAILED_EXIT } from './overlay-capture.js';
import type { ChangeCapture } from './sandbox.js';
import { realBwrap, shellRequest } from './test-support/requests.js';
import { runToEnd } from './test-support/start-plan.js';
import { TempDirs } from './test-support/temp-dir.js';

const sandbox = realBwrap();
const dirs = new TempDirs();
afterAll(() => dirs.removeAll());

/** A run directory whose name holds what overlay's option syntax and shells trip on. */
async function runDir(): Promise<{ workspace: string; capture: ChangeCapture }> {
  const base = await dirs.make(`flowline capture 'q"uote,co:lon\\-`);
  const workspace = join(base, 'workspace');
  const capture = { upperDir: join(base, 'upper'), workDir: join(base, 'work') };
  await Promise.all([workspace, capture.upperDir, capture.workDir].map((dir) => mkdir(dir)));
  await mkdir(join(workspace, 'sub'));
  await writeFile(join(workspace, 'appended'), 'original\n');
  await writeFile(join(workspace, 'deleted'), 'doomed\n');
  return { workspace, capture };
}

describe('bwrap: change capture (overlay)', () => {
  it('keeps the workspace as it was and puts writes, appends and deletions in the upper dir', async () => {
    const { workspace, capture } = await runDir();
    const script = 'echo more >> appended && rm deleted && echo new > created && echo deep > sub/file && cat appended';
    const result = await runToEnd(sandbox.launch(shellRequest(workspace, script, { capture })));
    expect({ exitCode: result.exitCode, stdout: result.stdout }).toEqual({ exitCode: 0, stdout: 'original\nmore\n' });

    expect((await readdir(workspace)).sort()).toEqual(['appended', 'deleted', 'sub']);
    expect(await readFile(join(workspace, 'appended'), 'utf8')).toBe('original\n');
    expect(await readdir(join(workspace, 'sub'))).toEqual([]);

    expect((await readdir(capture.upperDir)).sort()).toEqual(['appended', 'created', 'deleted', 'sub']);
    expect(await readFile(join(capture.upperDir, 'appended'), 'utf8')).toBe('original\nmore\n');
    expect(await readFile(join(capture.upperDir, 'created'), 'utf8')).toBe('new\n');
    expect(await readFile(join(capture.upperDir, 'sub', 'file'), 'utf8')).toBe('deep\n');
    const whiteout = await lstat(join(capture.upperDir, 'deleted'));
    expect({ charDevice: whiteout.isCharacterDevice(), rdev: whiteout.rdev }).toEqual({ charDevice: true, rdev: 0 });
  });

  it('mounts the overlay in a private namespace: the host never sees it', async () => {
    const { workspace, capture } = await runDir();
    const result = await runToEnd(
      sandbox.launch(shellRequest(workspace, 'grep -c " - overlay " /proc/self/mountinfo', { capture })),
    );
    expect(Number(result.stdout)).toBeGreaterThan(0);
    // mountinfo writes a space as \040.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain('flowline\\040capture');
  });

  it('fails with exit status 125 and one line when the overlay cannot be mounted', async () => {
    const { workspace, capture } = await runDir();
    const missing = { ...capture, workDir: join(capture.workDir, 'missing') };
    const result = await runToEnd(sandbox.launch(shellRequest(workspace, 'echo ran', { capture: missing })));
    expect(result.exitCode).toBe(CAPTURE_MOUNT_FAILED_EXIT);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('change capture: ');
  });
});

describe('checkSandbox', () => {
  it('passes for bwrap with capture (as root) and for none without', async () => {
    const scratchDir = await dirs.make('flowline-probe-');
    await checkSandbox(sandbox, { scratchDir, capture: true });
    await checkSandbox(new NoSandbox(), { scratchDir });
    expect(await readdir(scratchDir)).toEqual([]); // the probe cleans up after itself
  });

  it('says sandbox_unavailable when bwrap cannot run a step', async () => {
    const scratchDir = await dirs.make('flowline-probe-');
    const broken = new BwrapSandbox({ programs: { bwrap: '/bin/false' } });
    await expect(checkSandbox(broken, { scratchDir })).rejects.toMatchObject({
      code: 'sandbox_unavailable',
      message: expect.stringContaining('FLOWLINE_SANDBOX=none') as unknown,
    });
  });

  it('says change_capture_unavailable when the overlay cannot be mounted, or the sandbox does not capture', async () => {
    const scratchDir = await dirs.make('flowline-probe-');
    const noMount = new BwrapSandbox({ programs: { ...sandbox.programs, mount: '/bin/false' } });
    await expect(checkSandbox(noMount, { scratchDir, capture: true })).rejects.toMatchObject({
      code: 'change_capture_unavailable',
      message: expect.stringContaining('cannot mount the change-capture overlay') as unknown,
    });
    await expect(checkSandbox(new NoSandbox(), { scratchDir, capture: true })).rejects.toMatchObject({
      code: 'change_capture_unavailable',
    });
  });
});
