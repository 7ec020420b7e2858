import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

import type { WorkspaceSpec } from '../spec/test-spec.js';

/** One case's private directories: its workspace copies and, beside them (never inside), its state. */
export interface CaseDirs {
  readonly root: string;
  /** Stores, blobs and the step cache of every run of the case (a warm-up included). */
  readonly stateDir: string;
  remove(): Promise<void>;
}

export async function makeCaseDirs(tempDir: string): Promise<CaseDirs> {
  const root = await mkdtemp(join(tempDir, 'flowline-test-'));
  const stateDir = join(root, 'state');
  await mkdir(stateDir);
  return { root, stateDir, remove: () => rm(root, { recursive: true, force: true }) };
}

/**
 * A fresh copy of the case's workspace at `root/name`: the `from`
 * directory copied (symlinks kept as they are), or an empty directory, then
 * each `link` made as a symlink to its target. Paths a link replaces are not
 * copied, so a linked `node_modules` costs nothing.
 */
export async function copyWorkspace(spec: WorkspaceSpec | undefined, root: string, name: string): Promise<string> {
  const workspace = join(root, name);
  const links = spec?.links ?? [];
  if (spec?.from === undefined) await mkdir(workspace);
  else {
    const from = spec.from;
    const linked = (path: string) => links.some((link) => isAtOrUnder(relative(from, path), link.path));
    await cp(from, workspace, { recursive: true, verbatimSymlinks: true, filter: (source) => !linked(source) });
  }
  for (const link of links) {
    const at = join(workspace, link.path);
    await mkdir(dirname(at), { recursive: true });
    await rm(at, { recursive: true, force: true });
    await symlink(link.target, at);
  }
  return workspace;
}

function isAtOrUnder(path: string, prefix: string): boolean {
  const normal = prefix
    .split('/')
    .join(sep)
    .replace(/[/\\]+$/, '');
  return path === normal || path.startsWith(normal + sep);
}
