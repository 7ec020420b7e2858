import { describe, expect, test } from '@jest/globals';

import { type NeedOutcome, type Verdict, judgeTriggerRule } from './trigger-rules.js';

describe('judgeTriggerRule (Airflow semantics)', () => {
  test.each<[string, NeedOutcome[], Verdict, Verdict, Verdict, Verdict]>([
    //  needs                         all_success        all_done  none_failed        one_failed
    ['no needs', [], 'run', 'run', 'run', 'skip'],
    ['all succeeded', ['succeeded', 'succeeded'], 'run', 'run', 'run', 'skip'],
    ['one still open', ['succeeded', 'open'], 'wait', 'wait', 'wait', 'wait'],
    ['one skipped', ['succeeded', 'skipped'], 'skip', 'run', 'run', 'skip'],
    ['all skipped', ['skipped', 'skipped'], 'skip', 'run', 'run', 'skip'],
    ['one failed, others done', ['failed', 'succeeded'], 'upstream_failed', 'run', 'upstream_failed', 'run'],
    ['one failed, one open', ['failed', 'open'], 'upstream_failed', 'wait', 'upstream_failed', 'run'],
    ['skipped and failed', ['skipped', 'failed'], 'upstream_failed', 'run', 'upstream_failed', 'run'],
  ])('%s', (_, needs, allSuccess, allDone, noneFailed, oneFailed) => {
    expect({
      all_success: judgeTriggerRule('all_success', needs),
      all_done: judgeTriggerRule('all_done', needs),
      none_failed: judgeTriggerRule('none_failed', needs),
      one_failed: judgeTriggerRule('one_failed', needs),
    }).toEqual({ all_success: allSuccess, all_done: allDone, none_failed: noneFailed, one_failed: oneFailed });
  });
});
