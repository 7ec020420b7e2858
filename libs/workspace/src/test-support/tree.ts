import { lstat, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** A directory tree as plain data, for comparing two trees in tests. */
export type TreeListing = Record<string, string>;

/** Every path under `dir` with its type, permissions and content (or link target). */
export async function listTree(dir: string, exclude: readonly string[] = [], prefix = ''): Promise<TreeListing> {
  const listing: TreeListing = {};
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (exclude.some((e) => path === e || path.startsWith(`${e}/`))) continue;
    const stats = await lstat(join(dir, path));
    const mode = (stats.mode & 0o7777).toString(8);
    if (stats.isSymbolicLink()) listing[path] = `symlink -> ${await readlink(join(dir, path))}`;
    else if (stats.isDirectory()) {
      listing[path] = `dir ${mode}`;
      Object.assign(listing, await listTree(dir, exclude, path));
    } else listing[path] = `file ${mode} ${(await readFile(join(dir, path))).toString('base64')}`;
  }
  return listing;
}

/** A fresh temporary directory; `cleanup` removes it. */
export async function tempDir(label: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `flowline-workspace-${label}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** Copies a tree with `cp -a` (modes, symlinks as symlinks). */
export function copyTree(from: string, to: string): void {
  const result = spawnSync('cp', ['-a', `${from}/.`, to]);
  if (result.status !== 0) throw new Error(`cp failed: ${result.stderr.toString()}`);
}

/** Runs a bash script in `dir` (the no-sandbox mode: the step writes the directory itself). */
export function runIn(dir: string, script: string): void {
  const result = spawnSync('bash', ['-euc', script], { cwd: dir });
  if (result.status !== 0) throw new Error(`script failed: ${result.stderr.toString()}`);
}
