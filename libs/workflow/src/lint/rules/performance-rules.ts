import type { LintRule } from '../lint-rule.js';

export const PERFORMANCE_RULES: readonly LintRule[] = [];
