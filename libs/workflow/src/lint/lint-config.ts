import type { LintRuleDescription, LintSeverity } from './lint-rule.js';

/** A severity a configuration may give a rule; `off` turns it off. */
export type ConfiguredSeverity = LintSeverity | 'off';

export const CONFIGURED_SEVERITIES: readonly ConfiguredSeverity[] = ['error', 'warning', 'off'];

/** The name `flowline lint` looks for, walking up from each workflow file. */
export const LINT_CONFIG_FILE = '.flowline-lint.yaml';

/** What `.flowline-lint.yaml` says: severities by rule id. Rules it does not name keep their defaults. */
export interface LintConfig {
  /** The file it came from, when it came from one. */
  readonly file?: string;
  readonly rules: ReadonlyMap<string, ConfiguredSeverity>;
}

export const DEFAULT_LINT_CONFIG: LintConfig = { rules: new Map() };

export function configuredSeverity(config: LintConfig, rule: LintRuleDescription): ConfiguredSeverity {
  return config.rules.get(rule.id) ?? rule.severity;
}
