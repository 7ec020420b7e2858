import { afterEach, describe, expect, it } from '@jest/globals';

import type { RenderedAssert } from '@flowline/engine';

import { assertExecutor } from './assert-executor.js';
import { type TestContext, testContext } from './test-support/context.js';
import { renderedCommon } from './test-support/rendered.js';

let context: TestContext;
afterEach(() => context.cleanup());

function assertStep(that: string[], fields: Partial<RenderedAssert> = {}): RenderedAssert {
  return { ...renderedCommon('a'), type: 'assert', that, message: undefined, severity: 'error', ...fields };
}

describe('assert executor', () => {
  it('passes when every condition is truthy', async () => {
    context = await testContext();
    expect(await assertExecutor.execute(assertStep(['true', ' 3 ', 'yes']), context)).toEqual({
      ok: true,
      outputs: { passed: true },
    });
  });

  it('fails, not retryable, naming each falsy condition', async () => {
    context = await testContext();
    const outcome = await assertExecutor.execute(assertStep(['true', ' 0 ', 'null']), context);
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        code: 'assertion_failed',
        message: 'assertion failed: that[1] rendered "0", that[2] rendered "null"',
        retryable: false,
      },
    });
  });

  it('uses the message, and a warning succeeds with passed: false', async () => {
    context = await testContext();
    const outcome = await assertExecutor.execute(
      assertStep(['false'], { message: 'coverage fell', severity: 'warning' }),
      context,
    );
    expect(outcome).toEqual({ ok: true, outputs: { passed: false, message: 'coverage fell' } });
    expect(context.logs).toEqual([{ stream: 'system', text: 'warning: coverage fell\n' }]);
  });
});
