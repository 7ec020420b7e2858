import type { LintRule } from '../lint-rule.js';
import { BEST_PRACTICE_RULES } from './best-practice-rules.js';
import { LOGIC_RULES } from './logic-rules.js';
import { PERFORMANCE_RULES } from './performance-rules.js';
import { SECURITY_RULES } from './security-rules.js';

/** The whole catalogue, in the order docs/lint-rules.md lists it. */
export const LINT_RULES: readonly LintRule[] = [
  ...LOGIC_RULES,
  ...PERFORMANCE_RULES,
  ...SECURITY_RULES,
  ...BEST_PRACTICE_RULES,
];
