import type { LintRule } from '../lint-rule.js';
import {
  assertMissingMessage,
  inputMissingDescription,
  missingVersion,
  stepMissingDescription,
  workflowMissingDescription,
} from './best-practice/description-rules.js';
import { inconsistentIdStyle, inputNameStyle } from './best-practice/naming-rules.js';
import { shellWithoutErrexit } from './best-practice/shell-errexit-rule.js';

/** Rules about how a workflow reads and is maintained: descriptions, naming, defaults that hide failures. */
export const BEST_PRACTICE_RULES: readonly LintRule[] = [
  missingVersion,
  workflowMissingDescription,
  stepMissingDescription,
  inputMissingDescription,
  inconsistentIdStyle,
  inputNameStyle,
  assertMissingMessage,
  shellWithoutErrexit,
];
