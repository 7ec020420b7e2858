import type { LintRule } from '../lint-rule.js';

export const BEST_PRACTICE_RULES: readonly LintRule[] = [];
