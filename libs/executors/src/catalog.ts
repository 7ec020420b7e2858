import type { StepType } from '@flowline/core';
import type { RenderedStep } from '@flowline/engine';

import { assertExecutor } from './assert-executor.js';
import { claudeCodeExecutor } from './claude-code/claude-code-executor.js';
import type { Executor } from './executor.js';
import { shellExecutor } from './shell-executor.js';
import { templateExecutor } from './template-executor.js';
import { webhookExecutor } from './webhook/webhook-executor.js';

/** Step types that run in an executor: a conditional is decided by the scheduler, which needs no I/O. */
export type ExecutedStepType = Exclude<StepType, 'conditional'>;

type Catalog = { readonly [T in ExecutedStepType]: Executor<Extract<RenderedStep, { type: T }>> };

/** The executors by step type. Typed so a new step type without an executor is a compile error. */
export const EXECUTORS: Catalog = {
  shell: shellExecutor,
  claude_code: claudeCodeExecutor,
  assert: assertExecutor,
  template: templateExecutor,
  webhook: webhookExecutor,
};

export function executorFor(type: ExecutedStepType): Executor {
  return EXECUTORS[type];
}
