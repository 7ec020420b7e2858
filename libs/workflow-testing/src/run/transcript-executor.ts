import { canonicalJson, sha256Hex } from '@flowline/core';
import type { RenderedClaudeCode, StepOutcome } from '@flowline/engine';
import {
  type ExecutionContext,
  type Executor,
  type ScriptedBlock,
  claudeCodeExecutor,
  startScriptedModelServer,
} from '@flowline/executors';

import type { TranscriptMock } from '../spec/test-spec.js';

/** The credential the CLI sends to the scripted server: never a real key, which must not leave this machine. */
const DUMMY_API_KEY = 'flowline-test-dummy-key';

/** What `{{item}}` and `{{index}}` stand for in an item's transcript. */
export interface ItemVars {
  readonly item?: unknown;
  readonly index?: number;
}

/** How much of a transcript an attempt's agent consumed: fewer turns than scripted means it stopped early. */
export interface TranscriptUse {
  readonly used: number;
  readonly total: number;
}

/**
 * Runs the real claude_code executor — the real CLI, in the sandbox, with
 * its real tools and permissions — against a scripted Messages API server
 * replaying `mock`, one server per attempt. Only the model is scripted: the
 * file edits, the profile's tool rules and the outputs are the real ones.
 */
export function transcriptExecutor(
  mock: TranscriptMock,
  varsOf: (step: RenderedClaudeCode) => ItemVars,
  onUse: (step: RenderedClaudeCode, use: TranscriptUse) => void,
): Executor<RenderedClaudeCode> {
  return {
    type: 'claude_code',
    version: `${claudeCodeExecutor.version}+transcript-${sha256Hex(canonicalJson(mock.turns)).slice(0, 16)}`,
    async execute(step, context): Promise<StepOutcome> {
      const turns = substituteTurns(mock.turns, { workspace: context.workspace, ...varsOf(step) });
      const server = await startScriptedModelServer(turns.map((content) => ({ content })));
      try {
        const outcome = await claudeCodeExecutor.execute(step, withModelAt(context, server.url));
        // A cancelled or timed-out agent stopped early for its own reason.
        if (!context.signal.aborted) onUse(step, { used: server.modelRequests.length, total: turns.length });
        return outcome;
      } finally {
        await server.close();
      }
    },
  };
}

/**
 * The context with the CLI pointed at the scripted server. The operator's
 * auth token is dropped so it is never sent anywhere; the CLI's own
 * retries are off, since the server answers a call past the transcript's
 * end with an error that a retry would only repeat.
 */
function withModelAt(context: ExecutionContext, url: string): ExecutionContext {
  const { ANTHROPIC_AUTH_TOKEN: _token, ...env } = context.config.claude.env;
  const scripted = { ...env, ANTHROPIC_BASE_URL: url, ANTHROPIC_API_KEY: DUMMY_API_KEY, CLAUDE_CODE_MAX_RETRIES: '0' };
  return { ...context, config: { ...context.config, claude: { ...context.config.claude, env: scripted } } };
}

/** `{{workspace}}`, `{{item}}` and `{{index}}` in every string of the turns; others are left as written. */
export function substituteTurns(
  turns: readonly (readonly ScriptedBlock[])[],
  vars: ItemVars & { readonly workspace: string },
): ScriptedBlock[][] {
  const values: Record<string, string> = { workspace: vars.workspace };
  if (vars.index !== undefined) values['index'] = String(vars.index);
  if ('item' in vars) values['item'] = typeof vars.item === 'string' ? vars.item : JSON.stringify(vars.item);
  const text = (s: string) =>
    s.replace(/\{\{\s*(workspace|item|index)\s*\}\}/g, (all, name: string) => values[name] ?? all);
  return turns.map((turn) => turn.map((block) => substitute(block, text) as ScriptedBlock));
}

function substitute(value: unknown, text: (s: string) => string): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) return value.map((v) => substitute(v, text));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, text)]));
  }
  return value;
}
