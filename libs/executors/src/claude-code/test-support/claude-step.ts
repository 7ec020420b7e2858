import type { RenderedClaudeCode } from '@flowline/engine';

/** A rendered claude_code step with the language defaults (profile read-only). */
export function claudeStep(prompt: string, fields: Partial<RenderedClaudeCode> = {}): RenderedClaudeCode {
  return {
    type: 'claude_code',
    id: 'agent',
    key: { step: 'agent' },
    attempt: 1,
    timeoutMs: 60_000,
    maxOutputBytes: 1024 * 1024,
    env: {},
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
