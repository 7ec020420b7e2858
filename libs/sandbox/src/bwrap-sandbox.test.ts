import { describe, expect, it } from '@jest/globals';

import { BwrapSandbox, bwrapOptions } from './bwrap-sandbox.js';
import { NoSandbox } from './no-sandbox.js';
import { prlimitOptions } from './prlimit-args.js';
import type { SandboxRequest } from './sandbox.js';

const programs = {
  bwrap: '/usr/bin/bwrap',
  prlimit: '/usr/bin/prlimit',
  unshare: '/usr/bin/unshare',
  mount: '/usr/bin/mount',
  sh: '/bin/sh',
};
const sandbox = new BwrapSandbox({ programs, searchPath: '/usr/bin:/bin' });

function request(overrides: Partial<SandboxRequest> = {}): SandboxRequest {
  return {
    argv: ['bash', '-c', 'make'],
    workspace: '/tmp/run 1/ws',
    cwd: '/tmp/run 1/ws/sub',
    env: { PATH: '/usr/bin', HOME: '/tmp/home' },
    network: false,
    limits: {},
    ...overrides,
  };
}

/** The position of the first `option` whose next argument is `value`. */
function at(args: readonly string[], option: string, value?: string): number {
  return args.findIndex((arg, i) => arg === option && (value === undefined || args[i + 1] === value));
}

describe('BwrapSandbox.launch', () => {
  it('spawns bwrap with a PATH-only env and the step after "--"', () => {
    const plan = sandbox.launch(request());
    expect(plan.file).toBe('/usr/bin/bwrap');
    expect(plan.env).toEqual({ PATH: '/usr/bin:/bin' });
    expect(plan.args.slice(at(plan.args, '--'))).toEqual(['--', 'bash', '-c', 'make']);
  });

  it('unshares everything, and shares the network only when asked', () => {
    expect(bwrapOptions(request())).not.toContain('--share-net');
    expect(bwrapOptions(request({ network: true }))).toContain('--share-net');
    expect(bwrapOptions(request()).slice(0, 6)).toEqual([
      '--unshare-all',
      '--cap-drop',
      'ALL',
      '--new-session',
      '--die-with-parent',
      '--clearenv',
    ]);
  });

  it('clears the environment before setting exactly the request env', () => {
    const args = bwrapOptions(request());
    expect(args.filter((arg) => arg === '--setenv')).toHaveLength(2);
    expect(at(args, '--setenv', 'PATH')).toBeGreaterThan(at(args, '--clearenv'));
    expect(args.slice(at(args, '--setenv', 'HOME'), at(args, '--setenv', 'HOME') + 3)).toEqual([
      '--setenv',
      'HOME',
      '/tmp/home',
    ]);
  });

  it('binds the workspace and writable dirs after the private /tmp, then changes to cwd', () => {
    const args = bwrapOptions(request({ writable: ['/tmp/scratch'] }));
    const tmpfs = at(args, '--tmpfs', '/tmp');
    expect(at(args, '--ro-bind', '/')).toBeLessThan(tmpfs);
    expect(at(args, '--bind', '/tmp/run 1/ws')).toBeGreaterThan(tmpfs);
    expect(at(args, '--bind', '/tmp/scratch')).toBeGreaterThan(tmpfs);
    expect(args.slice(-2)).toEqual(['--chdir', '/tmp/run 1/ws/sub']);
  });

  it('puts prlimit in front of the step only when a limit is set', () => {
    expect(sandbox.launch(request()).args).not.toContain('/usr/bin/prlimit');
    const args = sandbox.launch(request({ limits: { maxFileBytes: 1024 } })).args;
    expect(args.slice(at(args, '--'))).toEqual(['--', '/usr/bin/prlimit', '--fsize=1024', '--', 'bash', '-c', 'make']);
  });

  it('with capture, runs bwrap behind unshare with every path as a positional argument', () => {
    const capture = { upperDir: `/tmp/it's "up",a:b`, workDir: '/tmp/work dir' };
    const plan = sandbox.launch(request({ capture }));
    expect(plan.file).toBe('/usr/bin/unshare');
    const script = plan.args[plan.args.indexOf('-c') + 1] ?? '';
    for (const path of ['/tmp/run 1/ws', capture.upperDir, capture.workDir]) {
      expect(script).not.toContain(path);
      expect(plan.args).toContain(path);
    }
    const tail = plan.args.slice(plan.args.indexOf('/usr/bin/mount') + 1);
    expect(tail[0]).toBe('/usr/bin/bwrap');
  });

  it('refuses relative paths and impossible variable names', () => {
    expect(() => sandbox.launch(request({ cwd: 'sub' }))).toThrow(/cwd must be an absolute path/);
    expect(() => sandbox.launch(request({ writable: ['scratch'] }))).toThrow(/writable must be an absolute path/);
    expect(() => sandbox.launch(request({ env: { 'A=B': 'x' } }))).toThrow(/"A=B" is not valid/);
    expect(() => sandbox.launch(request({ argv: [] }))).toThrow(/argv\) is empty/);
    expect(() => new NoSandbox().launch(request({ argv: [] }))).toThrow(/argv\) is empty/);
  });
});

describe('prlimitOptions', () => {
  it('maps each set limit; CPU time in whole seconds, rounded up, hard a second after soft', () => {
    const limits = { memoryBytes: 2 ** 30, cpuTimeMs: 1500, maxProcesses: 64, maxFileBytes: 10 };
    expect(prlimitOptions(limits)).toEqual(['--as=1073741824', '--cpu=2:3', '--nproc=64', '--fsize=10']);
    expect(prlimitOptions({ cpuTimeMs: 1 })).toEqual(['--cpu=1:2']);
    expect(prlimitOptions({})).toEqual([]);
  });

  it('rejects a limit that would let nothing run', () => {
    expect(() => prlimitOptions({ memoryBytes: 0 })).toThrow(/memoryBytes must be a positive number/);
    expect(() => prlimitOptions({ maxProcesses: Number.NaN })).toThrow(/maxProcesses/);
  });
});
