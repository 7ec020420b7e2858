import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type TestServer, startHttpServer } from './test-support/http-server.js';
import { pidsWithMarker, waitUntil } from './test-support/processes.js';
import { realBwrap, shellRequest } from './test-support/requests.js';
import { runToEnd, startPlan, stdoutShows } from './test-support/start-plan.js';
import { TempDirs } from './test-support/temp-dir.js';

const sandbox = realBwrap();
const dirs = new TempDirs();
afterAll(() => dirs.removeAll());

/** Tries to write each path given as an argument; prints "wrote P" or "refused P" per path. */
const TRY_WRITES =
  'for f in "$@"; do if (echo x > "$f") 2>/dev/null; then echo "wrote $f"; else echo "refused $f"; fi; done';

describe('bwrap: the file system', () => {
  it('lets a step write its workspace and writable dirs, and nothing else of the host', async () => {
    const workspace = await dirs.make('flowline-ws-'); // under the real /tmp, which the sandbox replaces
    const scratch = await dirs.make('flowline-scratch-');
    const hostDir = await dirs.make('flowline-host-', '/var/tmp'); // visible in the sandbox, read-only
    const tmpFile = `/tmp/flowline-sandbox-${randomUUID()}`;
    const targets = [join(workspace, 'in.txt'), join(scratch, 'out'), join(hostDir, 'no'), '/etc/flowline-no', tmpFile];
    const plan = sandbox.launch(
      shellRequest(workspace, TRY_WRITES, { argv: ['sh', '-c', TRY_WRITES, 'sh', ...targets], writable: [scratch] }),
    );
    const result = await runToEnd(plan);
    expect(result.stdout.trim().split('\n')).toEqual([
      `wrote ${targets[0]}`,
      `wrote ${targets[1]}`,
      `refused ${targets[2]}`,
      `refused ${targets[3]}`,
      `wrote ${tmpFile}`, // the sandbox's own /tmp…
    ]);
    expect(existsSync(tmpFile)).toBe(false); // …which is not the host's
    expect(existsSync(targets[2] ?? '')).toBe(false);
    expect(existsSync(targets[3] ?? '')).toBe(false);
    expect(await readFile(join(workspace, 'in.txt'), 'utf8')).toBe('x\n');
  });

  it('runs a program installed under the host /tmp only when the request lists it as readable', async () => {
    const workspace = await dirs.make('flowline-ws-');
    const tools = await dirs.make('flowline-tools-'); // like a checkout under /tmp holding node_modules/.bin
    const program = join(tools, 'hello.sh');
    await writeFile(program, '#!/bin/sh\necho hello from tmp\n', { mode: 0o755 });
    const hidden = await runToEnd(sandbox.launch(shellRequest(workspace, '', { argv: [program] })));
    expect(hidden.stdout).toBe('');
    const shown = await runToEnd(sandbox.launch(shellRequest(workspace, '', { argv: [program], readable: [program] })));
    expect(shown.stdout).toBe('hello from tmp\n');
  });

  it('starts in cwd, with no capabilities, as pid 2 of its own PID namespace', async () => {
    const workspace = await dirs.make('flowline-ws-');
    const script =
      'pwd; grep CapEff /proc/self/status; echo "pid $$"; test -e /proc/$PPID_HOST || echo "host pids hidden"';
    const env = { PATH: '/usr/bin:/bin', PPID_HOST: String(process.pid) };
    const result = await runToEnd(sandbox.launch(shellRequest(workspace, script, { env })));
    const [pwd, caps, pid, hidden] = result.stdout.trim().split('\n');
    expect(pwd).toBe(workspace);
    expect(caps).toBe('CapEff:\t0000000000000000');
    expect(pid).toBe('pid 2'); // bwrap's init is 1
    expect(hidden).toBe('host pids hidden');
  });
});

describe('bwrap: the network', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startHttpServer()));
  afterAll(() => server.close());

  /** Node's fetch of the URL: prints the body, or the error code on stderr with exit status 3. */
  const FETCH = `fetch(process.argv[1]).then((r) => r.text()).then(console.log,
    (e) => { console.error(e.cause?.code ?? e.message); process.exit(3); })`;

  it('cannot reach the host, even on 127.0.0.1, unless network is allowed', async () => {
    const workspace = await dirs.make('flowline-ws-');
    const argv = [process.execPath, '-e', FETCH, server.url];
    const before = server.requests();
    const denied = await runToEnd(sandbox.launch(shellRequest(workspace, '', { argv })));
    expect({ exitCode: denied.exitCode, stderr: denied.stderr.trim() }).toEqual({
      exitCode: 3,
      stderr: 'ECONNREFUSED',
    });
    expect(server.requests()).toBe(before);
    const allowed = await runToEnd(sandbox.launch(shellRequest(workspace, '', { argv, network: true })));
    expect({ exitCode: allowed.exitCode, stdout: allowed.stdout }).toEqual({ exitCode: 0, stdout: 'hello\n' });
    expect(server.requests()).toBe(before + 1);
  });
});

describe('bwrap: the environment', () => {
  it("holds exactly the request's variables (and bwrap's PWD), whatever the spawner's env", async () => {
    const workspace = await dirs.make('flowline-ws-');
    const leak = `FLOWLINE_LEAK_${randomUUID().replaceAll('-', '_')}`;
    process.env[leak] = 'secret';
    try {
      const env = { GREETING: 'hello world', EMPTY: '' };
      const plan = sandbox.launch(shellRequest(workspace, '', { argv: ['/usr/bin/env'], env }));
      // Even spawning bwrap with the caller's whole env leaks nothing: --clearenv.
      const result = await runToEnd(plan, { env: { ...process.env, ...plan.env } });
      const lines = result.stdout.trim().split('\n').sort();
      expect(lines).toEqual(['EMPTY=', 'GREETING=hello world', `PWD=${workspace}`]);
      expect(result.stdout).not.toContain(leak);
    } finally {
      delete process.env[leak];
    }
  });
});

describe('bwrap: the process tree', () => {
  it.each([
    ['SIGKILL', false],
    ['SIGTERM', false],
    ['SIGKILL', true],
  ] as const)('ends every process of the step when bwrap gets %s (capture: %s)', async (signal, capture) => {
    const workspace = await dirs.make('flowline-ws-');
    const base = await dirs.make('flowline-capture-');
    const marker = `300.${Date.now()}${Math.floor(Math.random() * 1e6)}`; // a unique sleep duration
    const script = `sleep ${marker} & sleep ${marker} & echo ready; wait`;
    const request = shellRequest(workspace, script);
    const captureDirs = { upperDir: base, workDir: await dirs.make('flowline-work-') };
    const started = startPlan(sandbox.launch(capture ? { ...request, capture: captureDirs } : request));
    await stdoutShows(started, 'ready');
    expect(pidsWithMarker(marker).length).toBeGreaterThanOrEqual(3); // sh and two sleeps (and bwrap)
    started.child.kill(signal);
    await waitUntil(() => pidsWithMarker(marker).length === 0, `no process holds ${marker}`, 5_000);
    expect((await started.finished).signal).toBe(signal);
  });
});
