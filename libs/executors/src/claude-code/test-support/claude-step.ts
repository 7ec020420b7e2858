import type { RenderedClaudeCode } from '@flowline/engine';

import { renderedCommon } from '../../test-support/rendered.js';

/** A rendered claude_code step with the language defaults (profile read-only). */
export function claudeStep(prompt: string, fields: Partial<RenderedClaudeCode> = {}): RenderedClaudeCode {
  return {
    type: 'claude_code',
    ...renderedCommon('agent'),
    prompt,
    profile: 'read-only',
    maxTurns: undefined,
    model: undefined,
    allowedTools: undefined,
    disallowedTools: [],
    appendSystemPrompt: undefined,
    workingDirectory: undefined,
    sandbox: { network: true },
    ...fields,
  };
}
