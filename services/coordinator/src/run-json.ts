import { type StepError, type WorkState, formatStepKey } from '@flowline/engine';
import type { DeadLetter, RunRecord } from '@flowline/ports';
import type { RunView } from '@flowline/cluster';

/**
 * How the API shows the stores' records: snake_case fields, times as ISO
 * 8601 strings. Everything here is already masked where it was written.
 */
export function runJson(record: RunRecord): Record<string, unknown> {
  return {
    run_id: record.runId,
    workflow_name: record.workflowName,
    workflow_file: record.workflowFile,
    workflow_digest: record.workflowDigest,
    status: record.status,
    priority: record.priority ?? null,
    inputs: record.inputs,
    outputs: record.outputs ?? {},
    error: errorJson(record.error),
    created_at: iso(record.createdAt),
    updated_at: iso(record.updatedAt),
    finished_at: record.finishedAt === undefined ? null : iso(record.finishedAt),
  };
}

/**
 * A run with its steps in declaration order, each fan-out step followed by
 * its items (`lint[0]`, `lint[1]`, …). Step outputs are left out: they can
 * be large, and the run's own outputs are on the record.
 */
export function runDetailJson(record: RunRecord, view: RunView | undefined): Record<string, unknown> {
  const steps: Record<string, unknown>[] = [];
  if (view !== undefined) {
    [...view.workflow.steps.values()].forEach((step, index) => {
      const state = view.state.steps.get(index);
      steps.push(stepJson(step.id, undefined, step.type, state));
      state.items?.map((work, item) => steps.push(stepJson(step.id, item, step.type, work)));
    });
  }
  return { ...runJson(view?.record ?? record), steps };
}

function stepJson(step: string, item: number | undefined, type: string, work: WorkState): Record<string, unknown> {
  return {
    key: formatStepKey(item === undefined ? { step } : { step, item }),
    step,
    ...(item === undefined ? {} : { item }),
    type,
    status: work.status,
    attempt: work.attempt,
    cache_hit: work.cacheHit === true,
    started_at: work.startedAt === undefined ? null : iso(work.startedAt),
    finished_at: work.finishedAt === undefined ? null : iso(work.finishedAt),
    duration_ms:
      work.startedAt !== undefined && work.finishedAt !== undefined ? work.finishedAt - work.startedAt : null,
    reason: work.reason ?? null,
    error: errorJson(work.error),
  };
}

export function deadLetterJson(letter: DeadLetter): Record<string, unknown> {
  return {
    id: letter.id,
    run_id: letter.runId,
    workflow_name: letter.workflowName,
    step_key: letter.stepKey,
    step_type: letter.stepType,
    attempts: letter.attempts,
    error: errorJson(letter.error),
    exit_code: letter.exitCode ?? null,
    fingerprint: letter.fingerprint,
    inputs: letter.inputs,
    log_tail: letter.logTail,
    worker: letter.worker ?? null,
    created_at: iso(letter.createdAt),
  };
}

function errorJson(error: StepError | undefined): Record<string, unknown> | null {
  if (error === undefined) return null;
  return { code: error.code, message: error.message, retryable: error.retryable };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
