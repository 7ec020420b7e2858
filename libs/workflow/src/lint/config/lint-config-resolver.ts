import { access, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

import { type Diagnostic, errorMessage } from '@flowline/core';

import { DEFAULT_LINT_CONFIG, LINT_CONFIG_FILE, type LintConfig } from '../lint-config.js';
import { parseLintConfig } from './parse-lint-config.js';

export type ResolvedLintConfig =
  | { readonly ok: true; readonly config: LintConfig }
  /** `diagnostics` for a config that says something wrong, `error` for one that cannot be read. */
  | { readonly ok: false; readonly file: string; readonly diagnostics: readonly Diagnostic[]; readonly error?: string };

export interface LintConfigResolverOptions {
  /** `--config FILE`: used for every workflow, no search. */
  readonly explicit?: string;
  /** Found config files are named relative to this directory (the process's by default). */
  readonly cwd?: string;
}

/**
 * Finds the configuration for each workflow file: `--config FILE`, else the
 * nearest `.flowline-lint.yaml` walking up from the workflow's directory,
 * stopping after a directory that holds `.git` (the repository's root) or at
 * the filesystem root; else the defaults. Each config file is read once.
 */
export class LintConfigResolver {
  private readonly loaded = new Map<string, Promise<ResolvedLintConfig>>();
  private readonly cwd: string;

  constructor(private readonly options: LintConfigResolverOptions = {}) {
    this.cwd = options.cwd ?? process.cwd();
  }

  async forWorkflow(workflowFile: string): Promise<ResolvedLintConfig> {
    const explicit = this.options.explicit;
    const file =
      explicit === undefined ? await this.find(dirname(resolve(this.cwd, workflowFile))) : resolve(this.cwd, explicit);
    if (file === undefined) return { ok: true, config: DEFAULT_LINT_CONFIG };
    let pending = this.loaded.get(file);
    if (pending === undefined) {
      pending = loadLintConfig(file, explicit ?? this.shown(file));
      this.loaded.set(file, pending);
    }
    return pending;
  }

  /** The absolute path of the nearest config file, if there is one. */
  private async find(directory: string): Promise<string | undefined> {
    for (let dir = directory; ; dir = dirname(dir)) {
      const candidate = join(dir, LINT_CONFIG_FILE);
      if (await exists(candidate)) return candidate;
      if ((await exists(join(dir, '.git'))) || dirname(dir) === dir) return undefined;
    }
  }

  /** Relative to cwd when inside it, as people type paths; absolute otherwise. */
  private shown(path: string): string {
    const rel = relative(this.cwd, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  }
}

/** Reads and parses one config file; `shown` is how messages name it (the path as given, by default). */
export async function loadLintConfig(path: string, shown: string = path): Promise<ResolvedLintConfig> {
  const file = shown;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error);
    return { ok: false, file, diagnostics: [], error: `cannot read lint config ${file}: ${reason}` };
  }
  const parsed = parseLintConfig(text, file);
  return parsed.ok ? parsed : { ok: false, file, diagnostics: parsed.diagnostics };
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
