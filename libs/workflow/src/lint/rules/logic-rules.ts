import type { LintRule } from '../lint-rule.js';
import { cacheWithoutFiles } from './logic-cache-rules.js';
import { needlessNeeds, redundantNeeds } from './logic-needs-rules.js';
import { continueOnErrorUnchecked, unusedOutputs } from './logic-output-rules.js';
import { emptyBranch, unreachableStep } from './logic-reachability-rules.js';
import { triggerRuleNeverFires, triggerRuleWithoutEffect } from './logic-trigger-rules.js';

/** Rules that find steps, branches, needs and outputs that do not do what the workflow seems to say. */
export const LOGIC_RULES: readonly LintRule[] = [
  unreachableStep,
  emptyBranch,
  triggerRuleNeverFires,
  triggerRuleWithoutEffect,
  unusedOutputs,
  continueOnErrorUnchecked,
  needlessNeeds,
  redundantNeeds,
  cacheWithoutFiles,
];
