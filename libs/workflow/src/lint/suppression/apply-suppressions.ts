import type { Diagnostic, SourceSpan } from '@flowline/core';

import { didYouMean } from '../../util/did-you-mean.js';
import type { LintRuleDescription } from '../lint-rule.js';
import type { LintDirective, ParsedDirectives, RuleName } from './lint-directives.js';
import { MALFORMED_LINT_DIRECTIVE, META_RULES, UNKNOWN_LINT_RULE, UNUSED_LINT_SUPPRESSION } from './meta-rules.js';

/** A finding about a suppression comment, before configuration gives it a severity. */
export interface MetaFinding {
  readonly rule: LintRuleDescription;
  readonly message: string;
  readonly span: SourceSpan;
}

export interface SuppressionScope {
  /** Every rule id a comment may name. */
  readonly knownRules: ReadonlySet<string>;
  /** The rules that ran: only their suppressions can be judged unused. */
  readonly activeRules: ReadonlySet<string>;
}

export interface SuppressionResult {
  readonly kept: readonly Diagnostic[];
  readonly meta: readonly MetaFinding[];
}

interface Entry {
  readonly directive: LintDirective;
  readonly name: RuleName;
  used: boolean;
}

/**
 * Drops the rule findings the comments suppress, and reports the comments
 * that name unknown rules, suppress nothing, or are not directives at all.
 * `findings` are rule findings of one file; validation diagnostics never
 * pass through here (an invalid workflow cannot be waved through).
 */
export function applySuppressions(
  findings: readonly Diagnostic[],
  parsed: ParsedDirectives,
  scope: SuppressionScope,
): SuppressionResult {
  const meta: MetaFinding[] = parsed.problems.map((p) => ({ rule: MALFORMED_LINT_DIRECTIVE, ...p }));
  const entries: Entry[] = [];
  for (const directive of parsed.directives) {
    for (const name of directive.rules) {
      const problem = unknownName(name, scope);
      if (problem === undefined) entries.push({ directive, name, used: false });
      else meta.push(problem);
    }
  }
  const kept = findings.filter((finding) => !suppressedBy(entries, finding));
  for (const entry of entries) {
    if (!entry.used && scope.activeRules.has(entry.name.id)) meta.push(unused(entry));
  }
  return { kept, meta };
}

/** Marks every entry that covers the finding, so none of them counts as unused. */
function suppressedBy(entries: readonly Entry[], finding: Diagnostic): boolean {
  let suppressed = false;
  for (const entry of entries) {
    if (entry.name.id !== finding.code) continue;
    const { kind, targetLine } = entry.directive;
    if (kind === 'disable' || targetLine === finding.line) {
      entry.used = true;
      suppressed = true;
    }
  }
  return suppressed;
}

function unknownName(name: RuleName, scope: SuppressionScope): MetaFinding | undefined {
  if (META_RULES.some((rule) => rule.id === name.id)) {
    return {
      rule: UNKNOWN_LINT_RULE,
      message: `"${name.id}" is about suppression comments and cannot be suppressed by one; set it to off in .flowline-lint.yaml`,
      span: name.span,
    };
  }
  if (scope.knownRules.has(name.id)) return undefined;
  return {
    rule: UNKNOWN_LINT_RULE,
    message: `unknown lint rule "${name.id}"${didYouMean(name.id, scope.knownRules)}`,
    span: name.span,
  };
}

function unused(entry: Entry): MetaFinding {
  const where =
    entry.directive.kind === 'disable'
      ? 'anywhere in this file'
      : entry.directive.targetLine === undefined
        ? 'after it (no line follows)'
        : `on line ${entry.directive.targetLine}`;
  return {
    rule: UNUSED_LINT_SUPPRESSION,
    message: `"${entry.name.id}" reports nothing ${where}, so this suppression does nothing; remove it`,
    span: entry.name.span,
  };
}
