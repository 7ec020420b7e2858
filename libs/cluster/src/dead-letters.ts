import { createHash } from 'node:crypto';

import { type SecretMasker, errorMessage } from '@flowline/core';
import { type StepError, type StepKey, formatStepKey, renderStep } from '@flowline/engine';
import type { DeadLetter, StepLogStore, StepReport } from '@flowline/ports';

import type { RunView } from './run-view.js';

/** How much of a step's log a letter keeps: enough to see the failure, small enough for one state item. */
const LOG_TAIL_BYTES = 4096;

/** A letter's id: the same failed attempt always gets the same id, so a redelivered report writes nothing new. */
export function deadLetterId(runId: string, key: StepKey, generation: number, attempt: number): string {
  const digest = createHash('sha256')
    .update(`${runId}|${formatStepKey(key)}|${generation}|${attempt}`)
    .digest('hex');
  return `dl-${digest.slice(0, 20)}`;
}

/**
 * Groups alike failures: the error's code, its message with the parts that
 * differ between occurrences (numbers, hex digests, ids, temp paths) taken
 * out, and the exit code. "exit 1 after 3.2 s in /tmp/x7" and "exit 1
 * after 4.9 s in /tmp/q2" are one fingerprint.
 */
export function fingerprint(error: StepError, exitCode: number | undefined): string {
  const text = `${error.code}\n${normalizeMessage(error.message)}\n${exitCode ?? ''}`;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export function normalizeMessage(message: string): string {
  return message
    .replace(/\/tmp\/\S*/g, '<tmp>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<hex>')
    .replace(/\d+(\.\d+)?/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Builds the letter for a report whose attempt ended the step as failed. Everything in it is masked. */
export async function deadLetterFor(
  view: RunView,
  report: StepReport,
  deps: {
    readonly logs: StepLogStore;
    readonly masker: SecretMasker;
    readonly secrets: Readonly<Record<string, string>>;
  },
): Promise<DeadLetter | undefined> {
  const { outcome, job } = report;
  if (outcome.ok) return undefined;
  const exitCode = typeof outcome.outputs?.['exit_code'] === 'number' ? outcome.outputs['exit_code'] : undefined;
  const letter: DeadLetter = {
    id: deadLetterId(job.runId, job.key, job.generation, job.attempt),
    runId: job.runId,
    workflowName: view.workflow.name,
    stepKey: formatStepKey(job.key),
    stepType: job.stepType,
    attempts: job.attempt,
    error: outcome.error,
    ...(exitCode === undefined ? {} : { exitCode }),
    fingerprint: fingerprint(outcome.error, exitCode),
    inputs: renderedInputs(view, report, deps.secrets),
    logTail: tail(await deps.logs.read(job.runId, formatStepKey(job.key)).catch(() => '')),
    worker: report.worker,
    createdAt: report.finishedAt,
  };
  return deps.masker.value(letter);
}

/** The step's configuration as its last attempt saw it; a step that could not render says why instead. */
function renderedInputs(
  view: RunView,
  report: StepReport,
  secrets: Readonly<Record<string, string>>,
): Readonly<Record<string, unknown>> {
  const { key, attempt, timeoutMs } = report.job;
  try {
    const rendered = renderStep(view.workflow, view.state, key, attempt, timeoutMs, { secrets });
    // Plain JSON: unset fields dropped, as every store can hold it.
    return JSON.parse(JSON.stringify(rendered)) as Record<string, unknown>;
  } catch (error) {
    return { render_error: errorMessage(error) };
  }
}

function tail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  if (bytes.length <= LOG_TAIL_BYTES) return log;
  // Cut on a character boundary: drop continuation bytes at the cut.
  let start = bytes.length - LOG_TAIL_BYTES;
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}
