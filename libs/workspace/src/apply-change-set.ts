import { randomBytes } from 'node:crypto';
import { chmod, mkdir, realpath, rename, rm, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { assertNever } from '@flowline/core';
import { type BlobStore, type ChangeEntry, type ChangeSet } from '@flowline/ports';

import { lstatIfExists } from './fs-util.js';
import { resolveInside } from './resolve-inside.js';
import { assertWorkspacePath, escapes, hasAncestorIn } from './workspace-path.js';

/**
 * Makes `workspace` hold what `changes` describe, entry by entry in order.
 * Each entry makes its path be what it says, replacing whatever was there;
 * files arrive atomically (the BlobStore writes a temporary and renames).
 * A path that is absolute, climbs with `..`, or would be written through a
 * symlink leading outside the workspace is refused with a FlowlineError
 * `path_escapes_workspace`: the first two before anything is written, the
 * last when reached. Directory modes are set last, so a read-only directory
 * can still receive its files.
 */
export async function applyChangeSet(workspace: string, changes: ChangeSet, blobs: BlobStore): Promise<void> {
  checkPaths(changes.entries);
  const root = await realpath(workspace);
  const dirModes: [string, number][] = [];
  for (const entry of changes.entries) {
    const target = await resolveInside(root, entry.path, entry.kind !== 'delete');
    if (target !== undefined) await applyEntry(entry, target, blobs, dirModes);
  }
  for (const [path, mode] of dirModes.reverse()) await chmodDirectory(path, mode);
}

/**
 * Refuses malformed paths up front, and entries beneath a symlink the same
 * change set creates: no capture produces those (writes through a link land
 * at its target), so they can only be an attempt to write where it points.
 */
function checkPaths(entries: readonly ChangeEntry[]): void {
  const links = new Set<string>();
  for (const entry of entries) {
    assertWorkspacePath(entry.path);
    if (hasAncestorIn(links, entry.path)) throw escapes(entry.path, 'lies beneath a symlink of the same change set');
    if (entry.kind === 'symlink') links.add(entry.path);
    else links.delete(entry.path);
  }
}

async function applyEntry(
  entry: ChangeEntry,
  target: string,
  blobs: BlobStore,
  dirModes: [string, number][],
): Promise<void> {
  switch (entry.kind) {
    case 'file':
      await removeDirectory(target);
      return blobs.getFile(entry.digest, target, entry.mode);
    case 'symlink':
      await removeDirectory(target);
      return replaceWithSymlink(target, entry.target);
    case 'dir':
      await makeDirectory(target);
      dirModes.push([target, entry.mode]);
      return;
    case 'delete':
      return rm(target, { recursive: true, force: true });
    default:
      return assertNever(entry, 'change entry');
  }
}

/** A file or link replaces a directory only once the directory is gone (rename cannot). */
async function removeDirectory(path: string): Promise<void> {
  if ((await lstatIfExists(path))?.isDirectory() === true) await rm(path, { recursive: true });
}

async function makeDirectory(path: string): Promise<void> {
  const existing = await lstatIfExists(path);
  if (existing?.isDirectory() === true) return;
  if (existing !== undefined) await rm(path);
  await mkdir(path);
}

/** chmod follows symlinks: only a path that is still a directory gets its mode. */
async function chmodDirectory(path: string, mode: number): Promise<void> {
  if ((await lstatIfExists(path))?.isDirectory() === true) await chmod(path, mode);
}

/** Made beside the target and renamed over it, so the path is never missing. */
async function replaceWithSymlink(path: string, linkTarget: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  await symlink(linkTarget, temporary);
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
