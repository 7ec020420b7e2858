import type { RenderedAssert, StepOutcome } from '@flowline/engine';
import { isTruthyText } from '@flowline/workflow';

import type { Executor } from './executor.js';

/**
 * `assert`: every rendered `that` must be truthy. A failed `error` assert
 * fails the step (not retryable: the same inputs give the same answer); a
 * failed `warning` assert is logged and the step succeeds with `passed: false`.
 */
export const assertExecutor: Executor<RenderedAssert> = {
  type: 'assert',
  version: '1',
  execute(step, context): Promise<StepOutcome> {
    const failed = step.that.map((text, i) => ({ text, i })).filter(({ text }) => !isTruthyText(text));
    if (failed.length === 0) return Promise.resolve({ ok: true, outputs: { passed: true } });
    const which = failed.map(({ i, text }) => `that[${i}] rendered ${JSON.stringify(text.trim())}`).join(', ');
    const message = step.message ?? `assertion failed: ${which}`;
    if (step.severity === 'warning') {
      context.log('system', `warning: ${message}\n`);
      return Promise.resolve({ ok: true, outputs: { passed: false, message } });
    }
    return Promise.resolve({
      ok: false,
      error: { code: 'assertion_failed', message, retryable: false },
      outputs: { passed: false, message },
    });
  },
};
