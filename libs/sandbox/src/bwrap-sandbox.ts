import { checkRequest } from './check-request.js';
import { withOverlay } from './overlay-capture.js';
import { prlimitOptions } from './prlimit-args.js';
import type { LaunchPlan, Sandbox, SandboxRequest } from './sandbox.js';
import { BARE_PROGRAMS, DEFAULT_SEARCH_PATH, type SandboxPrograms } from './sandbox-programs.js';

export interface BwrapSandboxOptions {
  /** Host programs to launch; `createSandbox` passes absolute paths it checked. */
  readonly programs?: Partial<SandboxPrograms>;
  /** PATH for bwrap itself (the step's PATH comes from the request's env). */
  readonly searchPath?: string;
}

/**
 * Runs a step under bubblewrap: every namespace unshared (the network only
 * when asked), no capabilities, a read-only view of the host with a private
 * /dev, /proc and /tmp, and only the workspace and the `writable`
 * directories writable. The environment is exactly the request's. With
 * `capture`, the workspace is an overlay whose writes land in the upper
 * directory (see overlay-capture.ts; needs root). docs/sandbox.md says what
 * each flag is for.
 */
export class BwrapSandbox implements Sandbox {
  readonly kind = 'bwrap';
  readonly capturesChanges = true;
  readonly programs: SandboxPrograms;
  private readonly searchPath: string;

  constructor(options: BwrapSandboxOptions = {}) {
    this.programs = { ...BARE_PROGRAMS, ...options.programs };
    this.searchPath = options.searchPath ?? DEFAULT_SEARCH_PATH;
  }

  launch(request: SandboxRequest): LaunchPlan {
    checkRequest(request);
    const args = [...bwrapOptions(request), '--', ...this.limited(request)];
    const command =
      request.capture === undefined
        ? { file: this.programs.bwrap, args }
        : withOverlay(request.workspace, request.capture, this.programs, [this.programs.bwrap, ...args]);
    // The spawner's env reaches bwrap only: --clearenv gives the step the request's env alone.
    return { ...command, env: { PATH: this.searchPath }, cwd: '/' };
  }

  /** The step's argv behind prlimit, when a limit is set. */
  private limited(request: SandboxRequest): string[] {
    const options = prlimitOptions(request.limits);
    return options.length === 0 ? [...request.argv] : [this.programs.prlimit, ...options, '--', ...request.argv];
  }
}

/** bwrap's options for a request, in the order they must apply. */
export function bwrapOptions(request: SandboxRequest): string[] {
  return [
    ...['--unshare-all', ...(request.network ? ['--share-net'] : [])],
    ...['--cap-drop', 'ALL', '--new-session', '--die-with-parent'],
    '--clearenv',
    ...Object.entries(request.env).flatMap(([name, value]) => ['--setenv', name, value]),
    ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'],
    // After the tmpfs: a workspace under /tmp would otherwise be hidden by it.
    ...(request.readable ?? []).flatMap((path) => ['--ro-bind', path, path]),
    ...[request.workspace, ...(request.writable ?? [])].flatMap((dir) => ['--bind', dir, dir]),
    ...['--chdir', request.cwd],
  ];
}
