import { type Diagnostic, compareDiagnostics } from '@flowline/core';

import { type LoadedWithSource, loadWorkflowWithSource } from '../load-workflow.js';
import { type LintConfig, DEFAULT_LINT_CONFIG, configuredSeverity } from './lint-config.js';
import type { LintSeverity } from './lint-rule.js';
import { type LintWorkflowOptions, runRules } from './lint-workflow.js';
import { LINT_RULES } from './rules/index.js';
import { type MetaFinding, applySuppressions } from './suppression/apply-suppressions.js';
import { parseDirectives } from './suppression/lint-directives.js';

export interface LintOptions extends LintWorkflowOptions {
  /** Severities by rule id; the rules' defaults without one. */
  readonly config?: LintConfig;
}

/**
 * What `flowline lint` reports for one workflow's text: validation
 * diagnostics, and for a valid workflow the findings of the rules the
 * configuration leaves on, at its severities, minus what suppression comments
 * suppress, plus the diagnostics about those comments. Sorted by place.
 */
export function lintText(text: string, options: LintOptions): Diagnostic[] {
  const loaded = loadWorkflowWithSource(text, options);
  if (!loaded.ok) return [...loaded.diagnostics];
  return [...loaded.diagnostics, ...lintCompiled(text, loaded, options)].sort(compareDiagnostics);
}

/** The configured, suppression-filtered rule findings for a workflow validation accepted. */
export function lintCompiled(text: string, loaded: LoadedWithSource, options: LintOptions): Diagnostic[] {
  const config = options.config ?? DEFAULT_LINT_CONFIG;
  const catalogue = options.rules ?? LINT_RULES;
  const severities = new Map<string, LintSeverity>();
  for (const rule of catalogue) {
    const severity = configuredSeverity(config, rule);
    if (severity !== 'off') severities.set(rule.id, severity);
  }
  const active = catalogue.filter((rule) => severities.has(rule.id));
  const findings = runRules(text, loaded, { ...options, rules: active }).map((d) => ({
    ...d,
    severity: severities.get(d.code) ?? d.severity,
  }));
  const { kept, meta } = applySuppressions(findings, parseDirectives(text.split(/\r?\n/)), {
    knownRules: new Set([...LINT_RULES, ...catalogue].map((rule) => rule.id)),
    activeRules: new Set(active.map((rule) => rule.id)),
  });
  return [...kept, ...meta.flatMap((finding) => metaDiagnostic(finding, config, options.file))];
}

function metaDiagnostic(finding: MetaFinding, config: LintConfig, file: string): Diagnostic[] {
  const severity = configuredSeverity(config, finding.rule);
  if (severity === 'off') return [];
  return [{ severity, code: finding.rule.id, message: finding.message, file, ...finding.span }];
}
