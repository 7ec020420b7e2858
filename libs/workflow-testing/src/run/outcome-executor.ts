import { FlowlineError, canonicalJson, errorMessage, sha256Hex } from '@flowline/core';
import type { StepOutcome } from '@flowline/engine';
import { type ExecutedStepType, type Executor, writeWorkspaceFile } from '@flowline/executors';

import type { OutcomeMock } from '../spec/test-spec.js';

/**
 * Stands in for a step of any executed type: writes the mock's files as
 * the step's own changes and returns its outcome; nothing else runs. Its
 * version is a digest of the mock, so a cache entry made under one mock is
 * never a hit under another (or for the real executor).
 */
export function outcomeExecutor(mock: OutcomeMock, type: ExecutedStepType): Executor {
  const { at: _at, files, ...rest } = mock;
  const content = { ...rest, files: files.map((file) => [file.path, file.content]) };
  return {
    type,
    version: `mock-${sha256Hex(canonicalJson(content)).slice(0, 16)}`,
    async execute(_step, context) {
      try {
        for (const file of files) await writeWorkspaceFile(context, file.path, file.content);
      } catch (error) {
        const code = error instanceof FlowlineError ? error.code : 'write_failed';
        return { ok: false, error: { code, message: errorMessage(error), retryable: false } };
      }
      return mockedOutcome(mock);
    },
  };
}

/**
 * The outcome a mock describes. `exit_code` joins the outputs as a shell
 * step's would; the step fails when `status: failed`, or, without a
 * status, when an `error` is given or the exit code is not 0. A mocked
 * failure is not retryable: every attempt would give the same outcome, so
 * retries would only add their backoff to the test's time.
 */
export function mockedOutcome(mock: OutcomeMock): StepOutcome {
  const exit = mock.exitCode ?? 0;
  const outputs = mock.exitCode === undefined ? mock.outputs : { ...mock.outputs, exit_code: mock.exitCode };
  const failed = mock.status === 'failed' || (mock.status === undefined && (mock.error !== undefined || exit !== 0));
  if (!failed) return { ok: true, outputs };
  const code = exit !== 0 ? 'exit_code' : 'mocked_failure';
  const message = mock.error ?? (exit !== 0 ? `exit code ${exit}` : 'failed (mocked)');
  return { ok: false, error: { code, message, retryable: false }, outputs };
}

/**
 * Writes a file as a step does, so the driver counts it among the step's
 * changes: into the attempt's overlay upper directory when its writes are
 * captured there (bubblewrap), else into the workspace, which the driver
 * snapshots before and after. A path through a symlink out of the workspace
 * is refused, as for a template step.
 */
