import { type Stats } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

import { type BlobStore, type ChangeEntry, type ChangeSet } from '@flowline/ports';

import { hashFile, lstatIfExists, mapLimit, permissions } from './fs-util.js';
import { opaqueDirs } from './opaque-dirs.js';
import { comparePaths, orderEntries } from './order-entries.js';
import { childPath, hasAncestorIn, isExcluded, normalizeExcludes } from './workspace-path.js';

export interface CaptureOptions {
  /** Workspace-relative path prefixes never captured (the `.flowline` state directory). */
  readonly exclude?: readonly string[];
}

/** One entry of the upper layer, with the lower layer's entry it hides (if visible). */
interface UpperItem {
  readonly path: string;
  readonly stats: Stats;
  lower?: Stats | undefined;
  opaque?: boolean;
}

// Parallel blob writes and hashes; bounded so a big upper layer cannot run out of descriptors.
const IO_PARALLELISM = 16;

/**
 * What a step attempt changed, read from its overlay's upper layer `upperDir`
 * over the workspace `lowerDir` (unchanged while the step ran). Files go to
 * `blobs`. Whiteouts become deletions, an opaque directory (deleted and
 * made again) a deletion followed by the new directory and its contents, a
 * path whose type changed a deletion then the new entry. A file rewritten
 * with the bytes and mode it had is no change, so formatters and `touch`
 * do not make conflicts.
 */
export async function changesFromOverlay(
  upperDir: string,
  lowerDir: string,
  blobs: BlobStore,
  options: CaptureOptions = {},
): Promise<ChangeSet> {
  const items = await walkUpper(upperDir, normalizeExcludes(options.exclude));
  await attachLower(items, upperDir, lowerDir);
  const deletes: string[] = [];
  const creations = await mapLimit(items, IO_PARALLELISM, (item) =>
    captureItem(item, upperDir, lowerDir, blobs, deletes),
  );
  return {
    entries: orderEntries(
      deletes,
      creations.filter((e) => e !== undefined),
    ),
  };
}

/** Every entry of the upper layer, parents before children (sorted by path). */
async function walkUpper(upperDir: string, exclude: readonly string[]): Promise<UpperItem[]> {
  const items: UpperItem[] = [];
  const walk = async (dir: string): Promise<void> => {
    const paths = (await readdir(join(upperDir, dir))).map((name) => childPath(dir, name));
    const kept = paths.filter((path) => !isExcluded(path, exclude));
    const stats = await Promise.all(kept.map((path) => lstatOrThrow(join(upperDir, path))));
    for (const [i, path] of kept.entries()) items.push({ path, stats: stats[i] as Stats });
    await Promise.all(kept.filter((_, i) => stats[i]?.isDirectory() === true).map(walk));
  };
  await walk('');
  return items.sort((a, b) => comparePaths(a.path, b.path));
}

async function lstatOrThrow(path: string): Promise<Stats> {
  const stats = await lstatIfExists(path);
  if (stats === undefined) throw new Error(`upper layer entry vanished while capturing: ${path}`);
  return stats;
}

/**
 * Looks up what each upper entry hides in the lower layer, except beneath a
 * directory that hides everything below it: one that replaced something that
 * was not a directory, or one overlayfs marked opaque. Opaqueness is asked of
 * getfattr (one process, a few ms) only for directories both layers have:
 * a step that changed nothing, or only added top-level files and new
 * directories, spawns nothing.
 */
async function attachLower(items: UpperItem[], upperDir: string, lowerDir: string): Promise<void> {
  // Looked up all at once; the ones beneath a hiding directory are then dropped.
  const lowers = await mapLimit(items, IO_PARALLELISM, (item) => lstatIfExists(join(lowerDir, item.path)));
  const hiding = new Set<string>();
  const merged: string[] = [];
  for (const [i, item] of items.entries()) {
    if (hasAncestorIn(hiding, item.path)) continue;
    item.lower = lowers[i];
    if (!item.stats.isDirectory()) continue;
    if (item.lower?.isDirectory() === true) merged.push(item.path);
    else hiding.add(item.path);
  }
  const opaque = await opaqueDirs(upperDir, merged);
  for (const item of items) {
    item.opaque = opaque.has(item.path);
    if (hasAncestorIn(opaque, item.path)) item.lower = undefined;
  }
}

/** The creation entry for one upper item (if any); pushes onto `deletes` what it removes first. */
async function captureItem(
  item: UpperItem,
  upperDir: string,
  lowerDir: string,
  blobs: BlobStore,
  deletes: string[],
): Promise<ChangeEntry | undefined> {
  const { path, stats } = item;
  const mode = permissions(stats.mode);
  if (isWhiteout(stats) || item.opaque) deletes.push(path);
  if (isWhiteout(stats)) return undefined;
  if (item.opaque) return { kind: 'dir', path, mode };
  const lower = sameType(item, deletes);
  if (stats.isDirectory()) return lower !== undefined && permissions(lower.mode) === mode ? undefined : dir(path, mode);
  if (stats.isSymbolicLink()) return captureSymlink(path, upperDir, lowerDir, lower);
  if (stats.isFile()) return captureFile(item, upperDir, lowerDir, lower, blobs);
  return undefined; // sockets, fifos, devices: not workspace content
}

/** The lower entry when it has the upper's type; a type change deletes the lower one first. */
function sameType(item: UpperItem, deletes: string[]): Stats | undefined {
  if (item.lower === undefined) return undefined;
  if (typeOf(item.lower) === typeOf(item.stats)) return item.lower;
  deletes.push(item.path);
  return undefined;
}

async function captureSymlink(
  path: string,
  upperDir: string,
  lowerDir: string,
  lower: Stats | undefined,
): Promise<ChangeEntry | undefined> {
  const target = await readlink(join(upperDir, path));
  if (lower !== undefined && (await readlink(join(lowerDir, path))) === target) return undefined;
  return { kind: 'symlink', path, target };
}

async function captureFile(
  item: UpperItem,
  upperDir: string,
  lowerDir: string,
  lower: Stats | undefined,
  blobs: BlobStore,
): Promise<ChangeEntry | undefined> {
  const { path, stats } = item;
  const mode = permissions(stats.mode);
  if (lower !== undefined && lower.size === stats.size && permissions(lower.mode) === mode) {
    const [upperDigest, lowerDigest] = await Promise.all([
      hashFile(join(upperDir, path), stats.size),
      hashFile(join(lowerDir, path), lower.size),
    ]);
    if (upperDigest === lowerDigest) return undefined;
  }
  const { digest, size } = await blobs.putFile(join(upperDir, path));
  return { kind: 'file', path, digest, size, mode };
}

function dir(path: string, mode: number): ChangeEntry {
  return { kind: 'dir', path, mode };
}

/** overlayfs records a deletion as a character device with device number 0/0. */
function isWhiteout(stats: Stats): boolean {
  return stats.isCharacterDevice() && stats.rdev === 0;
}

function typeOf(stats: Stats): 'file' | 'dir' | 'symlink' | 'other' {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  return stats.isSymbolicLink() ? 'symlink' : 'other';
}
