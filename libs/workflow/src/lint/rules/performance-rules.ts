import type { LintRule } from '../lint-rule.js';
import { agentWithoutMaxTurns, forEachUnbounded, missingTimeout, timeoutTooLarge } from './perf-bounds-rules.js';
import { uncachedExpensiveStep } from './perf-cache-rules.js';
import { serialChain, tooManySteps } from './perf-shape-rules.js';

/** Rules that find runs slower or costlier than they need to be, or unbounded. */
export const PERFORMANCE_RULES: readonly LintRule[] = [
  uncachedExpensiveStep,
  forEachUnbounded,
  missingTimeout,
  timeoutTooLarge,
  agentWithoutMaxTurns,
  serialChain,
  tooManySteps,
];
