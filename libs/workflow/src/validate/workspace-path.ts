import { posix } from 'node:path';

/**
 * Why a path written in a workflow may not be used as a workspace-relative
 * path, or undefined when it may. Absolute paths (POSIX, Windows drive or UNC)
 * and paths whose `..` climbs out are refused; `a/../b` is fine.
 */
export function workspacePathProblem(path: string): string | undefined {
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const normalized = posix.normalize(path.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) return 'climbs out with ".."';
  return undefined;
}
