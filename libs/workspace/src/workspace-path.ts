import { FlowlineError } from '@flowline/core';

/**
 * Workspace-relative paths as change sets carry them: `/`-separated, never
 * absolute, no `.`, `..` or empty segments. Anything else in a change set is
 * refused rather than normalized, since a change set may come from a cache.
 */
export function assertWorkspacePath(path: string): void {
  const segments = path.split('/');
  const bad = path === '' || path.includes('\0') || segments.some((s) => s === '' || s === '.' || s === '..');
  if (bad) throw escapes(path, 'is absolute, empty or climbs with ..');
}

/** The typed error every refused path raises, naming the path. */
export function escapes(path: string, why: string): FlowlineError {
  return new FlowlineError('path_escapes_workspace', `workspace path "${path}" ${why}`, { details: { path } });
}

/** Exclusion prefixes in one shape: no `./`, no trailing `/`. */
export function normalizeExcludes(exclude: readonly string[] | undefined): readonly string[] {
  return (exclude ?? []).map((p) => p.replace(/^(\.\/)+/, '').replace(/\/+$/, '')).filter((p) => p !== '');
}

/** True when `path` is an excluded prefix or lies beneath one. */
export function isExcluded(path: string, exclude: readonly string[]): boolean {
  return exclude.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** True when a strict ancestor of `path` (by `/` segments) is in `set`. */
export function hasAncestorIn(set: ReadonlySet<string>, path: string): boolean {
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    if (set.has(path.slice(0, i))) return true;
  }
  return false;
}

/** Joins a directory-relative prefix and a name (`''` is the root). */
export function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}
