import { chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { realBwrap, shellRequest } from './test-support/requests.js';
import { runToEnd } from './test-support/start-plan.js';
import { TempDirs } from './test-support/temp-dir.js';

const sandbox = realBwrap();
const dirs = new TempDirs();
afterAll(() => dirs.removeAll());

/** bwrap reports a step killed by signal N as exit status 128 + N. */
const KILLED_BY = { SIGXCPU: 128 + 24, SIGXFSZ: 128 + 25 };

/** Starts ten background processes, then says so; a shell that cannot fork stops before. */
const FORK_TEN = 'for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done; echo all ten started';

describe('bwrap: resource limits (prlimit)', () => {
  it('maxFileBytes: a file cannot grow past it (SIGXFSZ)', async () => {
    const workspace = await dirs.make('flowline-ws-');
    const request = shellRequest(workspace, 'head -c 300000 /dev/zero > big', { limits: { maxFileBytes: 100_000 } });
    const result = await runToEnd(sandbox.launch(request));
    expect(result.exitCode).toBe(KILLED_BY.SIGXFSZ);
    expect((await stat(join(workspace, 'big'))).size).toBe(100_000);
  });

  it('memoryBytes: a larger allocation fails, and succeeds without the limit', async () => {
    const workspace = await dirs.make('flowline-ws-');
    const script = 'dd if=/dev/zero of=/dev/null bs=128M count=1 status=none && echo allocated';
    const limited = await runToEnd(
      sandbox.launch(shellRequest(workspace, script, { limits: { memoryBytes: 64 << 20 } })),
    );
    expect(limited.exitCode).toBe(1);
    expect(limited.stderr).toMatch(/memory exhausted/);
    const free = await runToEnd(sandbox.launch(shellRequest(workspace, script)));
    expect({ exitCode: free.exitCode, stdout: free.stdout }).toEqual({ exitCode: 0, stdout: 'allocated\n' });
  });

  it('cpuTimeMs: a busy loop is killed after the CPU time, in whole seconds (SIGXCPU)', async () => {
    const workspace = await dirs.make('flowline-ws-');
    const request = shellRequest(workspace, 'while :; do :; done', { limits: { cpuTimeMs: 1000 } });
    const started = Date.now();
    const result = await runToEnd(sandbox.launch(request));
    expect(result.exitCode).toBe(KILLED_BY.SIGXCPU);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('maxProcesses: set, but not enforced while the step runs as root (the kernel exempts uid 0)', async () => {
    expect(process.getuid?.()).toBe(0); // the claim is about root; the next test covers other uids
    const workspace = await dirs.make('flowline-ws-');
    const script = `grep "Max processes" /proc/self/limits; ${FORK_TEN}`;
    const result = await runToEnd(sandbox.launch(shellRequest(workspace, script, { limits: { maxProcesses: 3 } })));
    expect(result.stdout).toMatch(/^Max processes +3 +3 +processes/);
    expect(result.stdout).toContain('all ten started');
  });

  it('maxProcesses: enforced when bwrap runs as an unprivileged uid (counting every process of that uid)', async () => {
    const workspace = await dirs.make('flowline-ws-');
    await chmod(workspace, 0o755); // the unprivileged uid must be able to enter it
    const uid = String(60_000 + Math.floor(Math.random() * 5_000)); // a uid no other process uses
    const wrap = ['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--'];
    const plan = sandbox.launch(shellRequest(workspace, FORK_TEN, { limits: { maxProcesses: 6 } }));
    const limited = await runToEnd(plan, { wrap });
    expect(limited.stderr).toMatch(/Cannot fork/);
    expect(limited.stdout).not.toContain('all ten started');
    const free = await runToEnd(sandbox.launch(shellRequest(workspace, FORK_TEN)), { wrap });
    expect(free.stdout).toContain('all ten started');
  });
});
