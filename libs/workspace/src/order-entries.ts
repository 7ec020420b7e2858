import { type ChangeEntry } from '@flowline/ports';

import { hasAncestorIn } from './workspace-path.js';

/**
 * The order both capture paths share, so applying in order is correct:
 * deletions first (only the outermost; a deleted directory takes its
 * contents), then creations sorted by path, which puts every directory
 * before what it holds (a prefix sorts before its extensions). Deleting
 * first is safe because a deleted path is never also created, except a
 * path whose type changed or an opaque directory, which must go first.
 */
export function orderEntries(deletes: readonly string[], creations: readonly ChangeEntry[]): ChangeEntry[] {
  const deleted = new Set(deletes);
  const outermost = [...deleted].filter((path) => !hasAncestorIn(deleted, path)).sort();
  const sorted = [...creations].sort((a, b) => comparePaths(a.path, b.path));
  return [...outermost.map((path): ChangeEntry => ({ kind: 'delete', path })), ...sorted];
}

/** UTF-16 code unit order, as `Array.prototype.sort` uses by default. */
export function comparePaths(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
