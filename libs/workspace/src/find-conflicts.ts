import { assertNever } from '@flowline/core';
import { type ChangeEntry, type ChangeSet } from '@flowline/ports';

import { comparePaths } from './order-entries.js';

/** One step's change set, as the join sees it. */
export interface StepChanges {
  readonly step: string;
  readonly changes: ChangeSet;
}

export interface WorkspaceConflict {
  /** The path both touch; when one removes a directory the other writes into, the path written. */
  readonly path: string;
  readonly steps: readonly [string, string];
}

/**
 * The first conflict between change sets of steps that ran independently
 * (neither an ancestor of the other): both change the same path differently,
 * or one deletes or replaces a directory the other writes into. Identical
 * changes (both write the same bytes, both delete the same file, both make
 * the same directory) agree, so they are no conflict, as in git. Pairs are
 * taken in input order and, within a pair, the smallest path wins, so the
 * answer does not depend on timing.
 */
export function findConflicts(
  manifests: readonly StepChanges[],
  independent: (a: string, b: string) => boolean,
): WorkspaceConflict | undefined {
  const indexed = manifests.map((m) => ({ step: m.step, index: indexPaths(m.changes) }));
  for (const [i, a] of indexed.entries()) {
    for (const b of indexed.slice(i + 1)) {
      if (!independent(a.step, b.step)) continue;
      const path = firstConflictingPath(a.index, b.index);
      if (path !== undefined) return { path, steps: [a.step, b.step] };
    }
  }
  return undefined;
}

interface PathIndex {
  /** Each touched path's entries, as one comparable string. */
  readonly byPath: ReadonlyMap<string, string>;
  readonly sorted: readonly string[];
  /** Paths whose entries remove or replace what was there (delete, file, symlink). */
  readonly replacing: readonly string[];
}

function indexPaths(changes: ChangeSet): PathIndex {
  const byPath = new Map<string, string>();
  const replacing: string[] = [];
  for (const entry of changes.entries) {
    byPath.set(entry.path, `${byPath.get(entry.path) ?? ''}${describe(entry)};`);
    if (entry.kind !== 'dir') replacing.push(entry.path);
  }
  return { byPath, sorted: [...byPath.keys()].sort(comparePaths), replacing };
}

/** What an entry leaves at its path; equal descriptions are the same change. */
function describe(entry: ChangeEntry): string {
  switch (entry.kind) {
    case 'file':
      return `file ${entry.digest} ${entry.mode}`;
    case 'symlink':
      return `symlink ${entry.target}`;
    case 'dir':
      return `dir ${entry.mode}`;
    case 'delete':
      return 'delete';
    default:
      return assertNever(entry, 'change entry');
  }
}

function firstConflictingPath(a: PathIndex, b: PathIndex): string | undefined {
  const found: string[] = [];
  for (const [path, what] of a.byPath) {
    const other = b.byPath.get(path);
    if (other !== undefined && other !== what) found.push(path);
  }
  for (const path of a.replacing) found.push(...firstBeneath(b.sorted, path));
  for (const path of b.replacing) found.push(...firstBeneath(a.sorted, path));
  return found.sort(comparePaths)[0];
}

/** The first path of `sorted` strictly beneath `dir`, if any (a binary search). */
function firstBeneath(sorted: readonly string[], dir: string): string[] {
  const prefix = `${dir}/`;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as string) < prefix) low = mid + 1;
    else high = mid;
  }
  const first = sorted[low];
  return first !== undefined && first.startsWith(prefix) ? [first] : [];
}
