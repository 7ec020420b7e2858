import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { FlowlineError } from '@flowline/core';

const TEST_FILE = /\.test\.ya?ml$/;

/**
 * The test files PATHS name: a file as given (whatever its name), a
 * directory searched recursively for `*.test.yaml` (and `.yml`), skipping
 * `node_modules` and dot-directories, which hold dependencies and tool state,
 * not suites. Sorted, without repeats. A path that does not exist is a
 * `path_not_found` error.
 */
export async function findTestFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) throw new FlowlineError('path_not_found', `${path}: no such file or directory`);
    if (info.isDirectory()) for (const file of await searchDirectory(path)) found.add(file);
    else found.add(path);
  }
  return [...found].sort();
}

async function searchDirectory(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await searchDirectory(path)));
    else if (entry.isFile() && TEST_FILE.test(entry.name)) files.push(path);
  }
  return files;
}
