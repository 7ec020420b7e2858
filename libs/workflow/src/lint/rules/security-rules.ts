import type { LintRule } from '../lint-rule.js';

export const SECURITY_RULES: readonly LintRule[] = [];
