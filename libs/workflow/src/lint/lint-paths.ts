import { FlowlineError } from '@flowline/core';

import { LintConfigResolver, type ResolvedLintConfig } from './config/lint-config-resolver.js';
import type { LintConfig } from './lint-config.js';
import { lintFile } from './lint-file.js';
import { lintTargets } from './lint-targets.js';
import type { FileLintResult } from './report/lint-report.js';

export type LintConfigFailure = Extract<ResolvedLintConfig, { ok: false }>;

export interface LintPathsResult {
  readonly results: readonly FileLintResult[];
  /** Each config file that could not be used, once, however many workflows it applies to. */
  readonly configFailures: readonly LintConfigFailure[];
  /** Arguments that name nothing to lint (an empty directory). */
  readonly problems: readonly string[];
}

export interface LintPathsOptions {
  /** `--config FILE`, instead of looking for `.flowline-lint.yaml`. */
  readonly configFile?: string;
  readonly cwd?: string;
}

/**
 * `flowline lint`'s work: expand directories, find each file's
 * configuration, lint. A file that cannot be read, or whose configuration is
 * broken, gets an `error` and no diagnostics; the others are still linted.
 */
export async function lintPaths(args: readonly string[], options: LintPathsOptions = {}): Promise<LintPathsResult> {
  const { files, problems } = await lintTargets(args);
  const resolver = new LintConfigResolver({ explicit: options.configFile, cwd: options.cwd });
  const results: FileLintResult[] = [];
  const configFailures = new Map<string, LintConfigFailure>();
  for (const file of files) {
    const resolved = await resolver.forWorkflow(file);
    if (!resolved.ok) {
      configFailures.set(resolved.file, resolved);
      results.push({
        file,
        diagnostics: [],
        error: `${file} was not linted: its lint config ${resolved.file} cannot be used`,
      });
      continue;
    }
    results.push(await lintOne(file, resolved.config));
  }
  return { results, configFailures: [...configFailures.values()], problems };
}

async function lintOne(file: string, config: LintConfig): Promise<FileLintResult> {
  try {
    return { file, diagnostics: await lintFile(file, { config }) };
  } catch (error) {
    if (error instanceof FlowlineError && error.code === 'file_unreadable') {
      return { file, diagnostics: [], error: error.message };
    }
    throw error;
  }
}
