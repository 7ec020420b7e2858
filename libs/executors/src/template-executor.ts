import { FlowlineError, errorMessage } from '@flowline/core';
import type { RenderedTemplate, StepOutcome } from '@flowline/engine';

import type { Executor } from './executor.js';
import { writeWorkspaceFile } from './workspace-file.js';

/** `template`: the rendered text written to `output` inside the workspace. Outputs `path` and `bytes`. */
export const templateExecutor: Executor<RenderedTemplate> = {
  type: 'template',
  version: '1',
  async execute(step, context): Promise<StepOutcome> {
    try {
      await writeWorkspaceFile(context, step.output, step.content);
    } catch (error) {
      const code = error instanceof FlowlineError ? error.code : 'write_failed';
      return { ok: false, error: { code, message: errorMessage(error), retryable: code === 'write_failed' } };
    }
    return { ok: true, outputs: { path: step.output, bytes: Buffer.byteLength(step.content) } };
  },
};
