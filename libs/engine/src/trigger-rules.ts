import { type TriggerRule, assertNever } from '@flowline/core';

/** How a step's need ended, as trigger rules see it (a failure with continue_on_error counts as success). */
export type NeedOutcome = 'open' | 'succeeded' | 'failed' | 'skipped';

export type Verdict = 'wait' | 'run' | 'skip' | 'upstream_failed';

/**
 * Airflow's trigger rules. A failure upstream decides at once where it can
 * (`all_success` and `none_failed` cannot run any more; `one_failed` can run
 * now), so a failing run stops queueing work without waiting for unrelated
 * branches; otherwise a rule waits until every need has ended.
 *
 * - all_success: every need succeeded; a skipped need skips the step.
 * - all_done: every need ended, however.
 * - none_failed: no need failed (skipped needs are fine).
 * - one_failed: at least one need failed; if none did, the step is skipped.
 */
export function judgeTriggerRule(rule: TriggerRule, needs: readonly NeedOutcome[]): Verdict {
  let open = 0;
  let failed = 0;
  let skipped = 0;
  for (const need of needs) {
    if (need === 'open') open += 1;
    else if (need === 'failed') failed += 1;
    else if (need === 'skipped') skipped += 1;
  }
  switch (rule) {
    case 'all_success':
      if (failed > 0) return 'upstream_failed';
      if (open > 0) return 'wait';
      return skipped > 0 ? 'skip' : 'run';
    case 'all_done':
      return open > 0 ? 'wait' : 'run';
    case 'none_failed':
      if (failed > 0) return 'upstream_failed';
      return open > 0 ? 'wait' : 'run';
    case 'one_failed':
      if (failed > 0) return 'run';
      return open > 0 ? 'wait' : 'skip';
    default:
      return assertNever(rule, 'trigger rule');
  }
}
