import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import { sha256Hex } from '@flowline/core';
import { glob } from 'tinyglobby';

import { hashFile, mapLimit } from './fs-util.js';
import { escapes, isExcluded, normalizeExcludes } from './workspace-path.js';

/** The digest of a glob that matches nothing: fixed, and unlike any digest of files. */
export const NO_FILES_DIGEST = sha256Hex('flowline: no files matched');

const IO_PARALLELISM = 16;

export interface DigestFilesOptions {
  /** Workspace-relative path prefixes never matched (the `.flowline` state directory). */
  readonly exclude?: readonly string[];
}

/**
 * For cache keys (`cache.files`): each glob's digest, SHA-256 over the
 * sorted (path, content digest) pairs of the files it matches, relative to
 * `workspace`. Dot files match. Symlinks are skipped, neither followed nor
 * counted: following one could read outside the workspace (tinyglobby does
 * not report links it does not follow). A glob that names a directory
 * matches everything beneath it. Patterns that are absolute or climb with
 * `..` are refused.
 */
export async function digestFiles(
  workspace: string,
  globs: readonly string[],
  options: DigestFilesOptions = {},
): Promise<Record<string, string>> {
  const exclude = normalizeExcludes(options.exclude);
  const digests: Record<string, string> = {};
  for (const pattern of globs) digests[pattern] = await digestGlob(workspace, pattern, exclude);
  return digests;
}

async function digestGlob(workspace: string, pattern: string, exclude: readonly string[]): Promise<string> {
  if (isAbsolute(pattern) || pattern.split('/').includes('..')) throw escapes(pattern, 'is absolute or climbs with ..');
  const matched = await glob(pattern, { cwd: workspace, dot: true, followSymbolicLinks: false, onlyFiles: true });
  const paths = matched.filter((path) => !isExcluded(path, exclude)).sort();
  if (paths.length === 0) return NO_FILES_DIGEST;
  const contents = await mapLimit(paths, IO_PARALLELISM, (path) => contentDigest(join(workspace, path)));
  const hash = createHash('sha256');
  for (const [i, path] of paths.entries()) hash.update(`${path}\0${contents[i]}\n`);
  return hash.digest('hex');
}

async function contentDigest(path: string): Promise<string> {
  return hashFile(path, (await lstat(path)).size);
}
