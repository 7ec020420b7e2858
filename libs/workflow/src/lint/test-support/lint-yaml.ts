import type { Diagnostic } from '@flowline/core';

import type { LintRule } from '../lint-rule.js';
import { lintWorkflow } from '../lint-workflow.js';

/** Lints inline YAML (file `wf.yaml`) with the given rules; throws when the workflow is invalid, so a typo cannot pass a test. */
export function lintYaml(yaml: string, rules: readonly LintRule[]): Diagnostic[] {
  const diagnostics = lintWorkflow(yaml, { file: 'wf.yaml', rules });
  const invalid = diagnostics.filter((d) => d.severity === 'error' && !rules.some((rule) => rule.id === d.code));
  if (invalid.length > 0)
    throw new Error(`invalid test workflow: ${invalid.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
  return diagnostics.filter((d) => rules.some((rule) => rule.id === d.code));
}

/** `line:column code` of each finding: compact and exact for assertions. */
export function placesOf(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`);
}

/** A workflow named `w` with these lines under `steps:` (line 3 is the first). */
export function steps(...lines: string[]): string {
  return ['name: w', 'steps:', ...lines, ''].join('\n');
}

/** `line:column code` of each finding of one rule. */
export function places(rule: LintRule, yaml: string): string[] {
  return placesOf(lintYaml(yaml, [rule]));
}

/** The messages of one rule's findings. */
export function messages(rule: LintRule, yaml: string): string[] {
  return lintYaml(yaml, [rule]).map((d) => d.message);
}
