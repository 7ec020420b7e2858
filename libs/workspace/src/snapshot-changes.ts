import { join } from 'node:path';

import { assertNever } from '@flowline/core';
import { type BlobStore, type ChangeEntry, type ChangeSet } from '@flowline/ports';

import { hashFile, mapLimit } from './fs-util.js';
import { orderEntries } from './order-entries.js';
import { type SnapshotEntry, type TreeSnapshot } from './tree-snapshot.js';

// Parallel blob writes; bounded so a big change cannot run out of descriptors.
const IO_PARALLELISM = 16;

/**
 * What changed under `dir` between two snapshots (the no-sandbox mode): new
 * and changed paths, deleted ones, a path whose type changed as a deletion
 * then the new entry. Changed files' current bytes go to `blobs`, so `dir`
 * must still hold what `after` saw.
 */
export async function changesFromSnapshots(
  dir: string,
  before: TreeSnapshot,
  after: TreeSnapshot,
  blobs: BlobStore,
): Promise<ChangeSet> {
  const deletes = [...before.entries.keys()].filter((path) => !after.entries.has(path));
  const changed: [string, SnapshotEntry][] = [];
  for (const [path, now] of after.entries) {
    const then = before.entries.get(path);
    if (then !== undefined && then.type !== now.type) deletes.push(path);
    if (then === undefined || then.type !== now.type || (await differs(dir, path, then, now)))
      changed.push([path, now]);
  }
  const creations = await mapLimit(changed, IO_PARALLELISM, ([path, now]) => creation(dir, path, now, blobs));
  return {
    entries: orderEntries(
      deletes,
      creations.filter((e) => e !== undefined),
    ),
  };
}

/** Same type at both times: did it change? Directories only by mode; their times move with their contents. */
async function differs(dir: string, path: string, then: SnapshotEntry, now: SnapshotEntry): Promise<boolean> {
  switch (now.type) {
    case 'dir':
      return then.mode !== now.mode;
    case 'symlink':
      return then.target !== now.target;
    case 'file':
      if (statsDiffer(then, now)) return true;
      return then.digest !== undefined && (await hashFile(join(dir, path), now.size)) !== then.digest;
    case 'other':
      return false;
    default:
      return assertNever(now.type, 'snapshot entry type');
  }
}

function statsDiffer(then: SnapshotEntry, now: SnapshotEntry): boolean {
  return (
    then.size !== now.size ||
    then.mtimeNs !== now.mtimeNs ||
    then.ctimeNs !== now.ctimeNs ||
    then.ino !== now.ino ||
    then.mode !== now.mode
  );
}

async function creation(
  dir: string,
  path: string,
  now: SnapshotEntry,
  blobs: BlobStore,
): Promise<ChangeEntry | undefined> {
  switch (now.type) {
    case 'dir':
      return { kind: 'dir', path, mode: now.mode };
    case 'symlink':
      return { kind: 'symlink', path, target: now.target ?? '' };
    case 'file': {
      const { digest, size } = await blobs.putFile(join(dir, path));
      return { kind: 'file', path, digest, size, mode: now.mode };
    }
    case 'other':
      return undefined; // sockets, fifos, devices: not workspace content
    default:
      return assertNever(now.type, 'snapshot entry type');
  }
}
