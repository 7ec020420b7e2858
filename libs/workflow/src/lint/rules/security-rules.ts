import type { LintRule } from '../lint-rule.js';
import { CONFIG_RULES } from './security-config-rules.js';
import { CREDENTIAL_RULES } from './security-credential-rules.js';
import { INJECTION_RULES } from './security-injection-rules.js';
import { SHELL_RULES } from './security-shell-rules.js';

/**
 * The security family: what a script runs (downloads, removals, packages),
 * what reaches a script or a prompt as text (inputs, secrets, remote and
 * model-written data), credentials written into the file, and how much an
 * agent or a step may reach (profiles, network, plain http).
 */
export const SECURITY_RULES: readonly LintRule[] = [
  ...SHELL_RULES,
  ...INJECTION_RULES,
  ...CREDENTIAL_RULES,
  ...CONFIG_RULES,
];
