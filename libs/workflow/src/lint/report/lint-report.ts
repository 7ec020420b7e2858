import type { Diagnostic } from '@flowline/core';

import type { LintCategory, LintRuleDescription } from '../lint-rule.js';
import { LINT_RULES } from '../rules/index.js';
import { META_RULES } from '../suppression/meta-rules.js';

/** What linting one file gave. */
export interface FileLintResult {
  readonly file: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the file, or its lint config, could not be used: nothing was linted. */
  readonly error?: string;
}

/** A rule's category; `validation` for the language's own diagnostics (docs/workflow-language.md#codes). */
export type DiagnosticCategory = LintCategory | 'validation';

export interface LintTotals {
  readonly files: number;
  readonly filesWithProblems: number;
  readonly errors: number;
  readonly warnings: number;
}

const DESCRIBED: ReadonlyMap<string, LintRuleDescription> = new Map(
  [...LINT_RULES, ...META_RULES].map((rule) => [rule.id, rule]),
);

/** The catalogue entry (or suppression diagnostic) with this id, if it is one. */
export function describedRule(code: string): LintRuleDescription | undefined {
  return DESCRIBED.get(code);
}

export function categoryOf(code: string): DiagnosticCategory {
  return describedRule(code)?.category ?? 'validation';
}

export function lintTotals(results: readonly FileLintResult[]): LintTotals {
  const all = results.flatMap((r) => r.diagnostics);
  return {
    files: results.length,
    filesWithProblems: results.filter((r) => r.diagnostics.length > 0).length,
    errors: all.filter((d) => d.severity === 'error').length,
    warnings: all.filter((d) => d.severity === 'warning').length,
  };
}

/** `3 problems (1 error, 2 warnings) in 2 files`, or `no problems in 5 files`. */
export function summaryLine(totals: LintTotals): string {
  const problems = totals.errors + totals.warnings;
  if (problems === 0) return `no problems in ${plural(totals.files, 'file')}`;
  return `${plural(problems, 'problem')} (${plural(totals.errors, 'error')}, ${plural(totals.warnings, 'warning')}) in ${plural(totals.filesWithProblems, 'file')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The `--format json` report: totals, and each file's diagnostics with their category. */
export function jsonLintReport(results: readonly FileLintResult[]): object {
  const { errors, warnings } = lintTotals(results);
  return {
    errors,
    warnings,
    files: results.map((result) => ({
      ...result,
      diagnostics: result.diagnostics.map((d) => ({ ...d, category: categoryOf(d.code) })),
    })),
  };
}
