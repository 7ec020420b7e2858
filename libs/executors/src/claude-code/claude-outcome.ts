import { formatDuration } from '@flowline/core';
import type { RenderedClaudeCode, StepError, StepOutcome } from '@flowline/engine';

import type { ClaudeProcessResult } from './claude-process.js';
import type { ClaudeResult } from './stream-events.js';

/**
 * The attempt's outcome from the CLI's result event and its exit. Usage is
 * reported on failures too: a run's budget counts what a failed attempt
 * spent. `files_changed` is the driver's to add, from the captured changes.
 */
export function claudeOutcome(
  step: RenderedClaudeCode,
  binary: string,
  exit: ClaudeProcessResult,
  result: ClaudeResult | undefined,
): StepOutcome {
  const spent = result === undefined ? {} : { outputs: outputsOf(result), usage: usageOf(result) };
  const error = errorOf(step, binary, exit, result);
  return error === undefined ? { ok: true, outputs: {}, ...spent } : { ok: false, error, ...spent };
}

function outputsOf(result: ClaudeResult): Record<string, unknown> {
  return {
    result: result.result,
    num_turns: result.numTurns,
    cost_usd: result.costUsd,
    input_tokens: result.inputTokens,
    output_tokens: result.outputTokens,
    session_id: result.sessionId,
    permission_denials: result.permissionDenials,
  };
}

function usageOf(result: ClaudeResult): { costUsd: number; tokens: number } {
  return { costUsd: result.costUsd, tokens: result.inputTokens + result.outputTokens };
}

function errorOf(
  step: RenderedClaudeCode,
  binary: string,
  exit: ClaudeProcessResult,
  result: ClaudeResult | undefined,
): StepError | undefined {
  // A kill ends the CLI before it reports, so the abort decides first.
  if (exit.aborted === 'timeout') {
    const message = `timed out after ${formatDuration(step.timeoutMs)}; the Claude Code process tree was killed`;
    return { code: 'timeout', message, retryable: true };
  }
  if (exit.aborted === 'cancelled') return { code: 'cancelled', message: 'cancelled', retryable: false };
  if (exit.spawnError !== undefined) {
    const message = `could not start the Claude Code CLI (${binary}): ${exit.spawnError}; set FLOWLINE_CLAUDE_BIN`;
    return { code: 'spawn_failed', message, retryable: false };
  }
  if (result === undefined) return exitError(exit);
  return resultError(step, result);
}

function resultError(step: RenderedClaudeCode, result: ClaudeResult): StepError | undefined {
  if (result.subtype === 'error_max_turns') {
    const message =
      `Claude Code reached max_turns (${step.maxTurns ?? result.numTurns}) before finishing; ` +
      'raise max_turns or give the step a smaller task';
    return { code: 'max_turns', message, retryable: false };
  }
  if (!result.isError && result.subtype === 'success') return undefined;
  const why = result.result !== '' ? result.result : result.errors.join('; ') || result.subtype;
  if (modelUnavailable(result)) {
    const status = result.apiErrorStatus === undefined ? 'unreachable' : `HTTP ${result.apiErrorStatus}`;
    return { code: 'model_unavailable', message: `the model API failed (${status}): ${why}`, retryable: true };
  }
  return { code: 'claude_code_failed', message: `Claude Code failed: ${why}`, retryable: false };
}

/**
 * Overload (529), rate limits (429), server errors (5xx), timeouts (408),
 * conflicts (409), and a model endpoint that cannot be reached at all, which
 * the CLI reports as an "API Error" without a status. Retrying later can
 * help; a 400 or 401 cannot.
 */
function modelUnavailable(result: ClaudeResult): boolean {
  const status = result.apiErrorStatus;
  if (status === undefined) return result.isError && result.result.startsWith('API Error');
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function exitError(exit: ClaudeProcessResult): StepError {
  const lastLine = exit.stderr.trimEnd().split('\n').pop() ?? '';
  if (exit.exitCode === undefined) {
    // Killed from outside (the OOM killer, an operator): another try may well pass.
    const message = `Claude Code was killed by ${exit.signal ?? 'a signal'} before reporting a result`;
    return { code: 'claude_code_failed', message, retryable: true };
  }
  const how = `Claude Code exited with code ${exit.exitCode} without a result`;
  return { code: 'claude_code_failed', message: lastLine === '' ? how : `${how}: ${lastLine}`, retryable: false };
}
