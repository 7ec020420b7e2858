import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * The host programs a BwrapSandbox launches. Absolute paths are best (what
 * `createSandbox` resolves); a bare name is looked up in the plan's PATH.
 * prlimit runs inside the sandbox, whose root is the host's, read-only.
 */
export interface SandboxPrograms {
  readonly bwrap: string;
  /** util-linux prlimit: sets the resource limits, then execs the step. */
  readonly prlimit: string;
  /** util-linux unshare, mount and a POSIX sh: the change-capture overlay. */
  readonly unshare: string;
  readonly mount: string;
  readonly sh: string;
}

/** Searched when the caller gives no PATH (libraries never read process.env). */
export const DEFAULT_SEARCH_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export const BARE_PROGRAMS: SandboxPrograms = {
  bwrap: 'bwrap',
  prlimit: 'prlimit',
  unshare: 'unshare',
  mount: 'mount',
  sh: 'sh',
};

/** The first executable regular file called `name` in a PATH-style list, like `which`. */
export function findProgram(name: string, searchPath: string): string | undefined {
  // An empty PATH entry means the current directory; never trust that for a sandbox.
  const dirs = searchPath.split(':').filter((dir) => isAbsolute(dir));
  return dirs.map((dir) => join(dir, name)).find(isExecutableFile);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
