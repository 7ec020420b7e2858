import { spawnSync } from 'node:child_process';

import { FlowlineError } from '@flowline/core';

import { BwrapSandbox } from './bwrap-sandbox.js';
import { NoSandbox } from './no-sandbox.js';
import type { Sandbox } from './sandbox.js';
import { DEFAULT_SEARCH_PATH, type SandboxPrograms, findProgram } from './sandbox-programs.js';

export const SANDBOX_MODES = ['bwrap', 'none'] as const;
export type SandboxMode = (typeof SANDBOX_MODES)[number];

export interface CreateSandboxOptions {
  /** The FLOWLINE_SANDBOX value; unset or empty means `bwrap`. */
  readonly mode?: string | undefined;
  /** Where to look for bwrap and util-linux (PATH-style); the caller passes its PATH. */
  readonly searchPath?: string | undefined;
}

export interface CreatedSandbox {
  readonly sandbox: Sandbox;
  /** One line for the user when the choice weakens isolation (mode `none`). */
  readonly warning?: string;
}

export const UNSANDBOXED_WARNING =
  'warning: FLOWLINE_SANDBOX=none: steps run unsandboxed, with your files, network and privileges';

/**
 * The sandbox FLOWLINE_SANDBOX asks for, checked at start-up: a bad value is
 * `bad_config`, a missing or broken bwrap is `sandbox_unavailable`. There is
 * no silent fallback to running unsandboxed; the user opts in with `none`.
 */
export function createSandbox(options: CreateSandboxOptions = {}): CreatedSandbox {
  const mode = parseMode(options.mode);
  if (mode === 'none') return { sandbox: new NoSandbox(), warning: UNSANDBOXED_WARNING };
  const searchPath = options.searchPath ?? DEFAULT_SEARCH_PATH;
  const programs = resolvePrograms(searchPath);
  checkBwrapRuns(programs.bwrap, searchPath);
  return { sandbox: new BwrapSandbox({ programs, searchPath }) };
}

function parseMode(value: string | undefined): SandboxMode {
  if (value === undefined || value === '') return 'bwrap';
  const mode = SANDBOX_MODES.find((known) => known === value);
  if (mode !== undefined) return mode;
  const message = `FLOWLINE_SANDBOX must be one of ${SANDBOX_MODES.join(', ')}; got ${JSON.stringify(value)}`;
  throw new FlowlineError('bad_config', message);
}

function resolvePrograms(searchPath: string): SandboxPrograms {
  const find = (name: string, from: string): string => {
    const path = findProgram(name, searchPath);
    if (path === undefined) throw unavailable(`${name} was not found on the PATH (${searchPath})`, from);
    return path;
  };
  return {
    bwrap: find('bwrap', 'bubblewrap'),
    prlimit: find('prlimit', 'util-linux'),
    unshare: find('unshare', 'util-linux'),
    mount: find('mount', 'util-linux'),
    sh: find('sh', 'a POSIX shell'),
  };
}

/** `bwrap --version` must answer: a file called bwrap that cannot run is as good as none. */
function checkBwrapRuns(bwrap: string, searchPath: string): void {
  const result = spawnSync(bwrap, ['--version'], { env: { PATH: searchPath }, encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0 && result.stdout.startsWith('bubblewrap')) return;
  const why = result.error?.message ?? (result.stderr.trim() || `exit status ${String(result.status)}`);
  throw unavailable(`${bwrap} --version failed (${why})`, 'bubblewrap');
}

function unavailable(problem: string, from: string): FlowlineError {
  const message = `sandbox unavailable: ${problem}; install ${from}, or set FLOWLINE_SANDBOX=none to run steps unsandboxed`;
  return new FlowlineError('sandbox_unavailable', message);
}
