import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface LintTargets {
  readonly files: readonly string[];
  /** Directories that hold no workflow file: a mistake in the arguments. */
  readonly problems: readonly string[];
}

/**
 * A workflow file as it could be: `*.yaml` or `*.yml`, not a test suite
 * (`*.test.yaml`, which `flowline test` reads) and not a dotfile such as
 * `.flowline-lint.yaml`.
 */
export function isWorkflowFileName(name: string): boolean {
  return /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name) && !name.startsWith('.');
}

/**
 * Command-line arguments → the files to lint. A directory stands for the
 * workflow files directly in it (not in subdirectories: fixtures and template
 * files live there), in name order; anything else is taken as a file, so a
 * missing one is reported as unreadable when it is linted.
 */
export async function lintTargets(args: readonly string[]): Promise<LintTargets> {
  const files: string[] = [];
  const problems: string[] = [];
  for (const arg of args) {
    const isDirectory = await stat(arg).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDirectory) {
      files.push(arg);
      continue;
    }
    const found = (await readdir(arg, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && isWorkflowFileName(entry.name))
      .map((entry) => join(arg, entry.name))
      .sort();
    if (found.length === 0) problems.push(`no workflow files (*.yaml, *.yml) in directory ${arg}`);
    files.push(...found);
  }
  return { files, problems };
}
