import { join } from 'node:path';

import { FlowlineError, errorMessage, formatDuration } from '@flowline/core';
import type { RenderedShell, StepOutcome } from '@flowline/engine';

import type { ExecutionContext, Executor } from './executor.js';
import { type ProcessResult, runProcess } from './run-process.js';
import { readOutputFile, readOutputsFrom } from './shell-outputs.js';
import { stepEnvironment } from './step-environment.js';

/**
 * `shell`: the script run by the step's shell (`bash -e -o pipefail` unless
 * `shell:` says otherwise) in the sandbox, in the workspace. Outputs:
 * `exit_code`, `stdout` and `stderr` tails, `$FLOWLINE_OUTPUT`, `outputs_from`.
 */
export const shellExecutor: Executor<RenderedShell> = {
  type: 'shell',
  version: '1',
  async execute(step, context): Promise<StepOutcome> {
    const outputFile = join(context.scratchDir, 'output');
    const plan = context.sandbox.launch({
      argv: [...step.shell, '-c', step.run],
      workspace: context.workspace,
      cwd: step.workingDirectory === undefined ? context.workspace : join(context.workspace, step.workingDirectory),
      env: stepEnvironment(context, step.env, { FLOWLINE_OUTPUT: outputFile, FLOWLINE_STEP_ID: step.id }),
      network: step.sandbox.network,
      limits: step.sandbox,
      writable: [context.scratchDir],
      readable: context.config.sandboxReadable,
      ...(context.capture === undefined ? {} : { capture: context.capture }),
    });
    const result = await runProcess(plan, {
      signal: context.signal,
      killGraceMs: context.config.killGraceMs,
      onOutput: (stream, text) => context.log(stream, text),
    });
    return outcomeOf(step, context, result, outputFile);
  },
};

async function outcomeOf(
  step: RenderedShell,
  context: ExecutionContext,
  result: ProcessResult,
  outputFile: string,
): Promise<StepOutcome> {
  const base = { exit_code: result.exitCode ?? null, stdout: result.stdout, stderr: result.stderr };
  if (result.aborted === 'timeout') {
    const message = `timed out after ${formatDuration(step.timeoutMs)}; the process tree was killed`;
    return { ok: false, error: { code: 'timeout', message, retryable: true }, outputs: base };
  }
  if (result.aborted === 'cancelled') {
    return { ok: false, error: { code: 'cancelled', message: 'cancelled', retryable: false }, outputs: base };
  }
  if (result.spawnError !== undefined) {
    const message = `could not start ${step.shell[0] ?? 'the shell'}: ${result.spawnError}`;
    return { ok: false, error: { code: 'spawn_failed', message, retryable: false } };
  }
  if (result.exitCode !== 0) {
    return { ok: false, error: exitError(result), outputs: base };
  }
  try {
    const written = await readOutputFile(outputFile);
    const from =
      step.outputsFrom === undefined
        ? {}
        : await readOutputsFrom(context.workspace, context.capture?.upperDir, step.outputsFrom);
    return { ok: true, outputs: { ...written, ...from, ...base } };
  } catch (error) {
    const code = error instanceof FlowlineError ? error.code : 'bad_output';
    return { ok: false, error: { code, message: errorMessage(error), retryable: false }, outputs: base };
  }
}

function exitError(result: ProcessResult) {
  const lastLine = result.stderr.trimEnd().split('\n').pop() ?? '';
  const how =
    result.exitCode === undefined ? `killed by ${result.signal ?? 'a signal'}` : `exit code ${result.exitCode}`;
  return { code: 'exit_code', message: lastLine === '' ? how : `${how}: ${lastLine}`, retryable: true };
}
