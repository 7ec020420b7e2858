import type { LintRule } from '../lint-rule.js';

export const LOGIC_RULES: readonly LintRule[] = [];
