import { setTimeout as sleep } from 'node:timers/promises';

import { formatDuration } from '@flowline/core';

import { type CliIo, painter } from '../cli-io.js';
import type { RunDetailJson, StepJson } from './api-types.js';
import { type CoordinatorClient, CoordinatorError } from './coordinator-client.js';

/** How often `--wait` asks for the run: a run's steps take seconds at least, a poll costs one small read. */
export const POLL_INTERVAL_MS = 500;

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Polls `GET /v1/runs/:id` until the run has ended, printing a plain line
 * on stderr for each step whose status (or attempt) moved, and one for the
 * run at the end; returns the finished run. A 503 (the coordinator's
 * stores briefly away) is waited out; other errors end the wait.
 */
export async function watchRun(
  client: CoordinatorClient,
  runId: string,
  io: CliIo,
  intervalMs = POLL_INTERVAL_MS,
): Promise<RunDetailJson> {
  const seen = new Map<string, string>();
  const paint = painter(io.stderr, io.env);
  let runStatus: string | undefined;
  for (;;) {
    let run: RunDetailJson;
    try {
      run = await client.getRun(runId);
    } catch (error) {
      if (!(error instanceof CoordinatorError && error.status === 503)) throw error;
      await sleep(intervalMs);
      continue;
    }
    if (run.status !== runStatus && run.status === 'queued') {
      io.stderr.write(`${paint.dim('…')} run ${runId} queued: its workflow is at its concurrency limit\n`);
    }
    runStatus = run.status;
    for (const step of run.steps) {
      const mark = `${step.status}/${step.attempt}`;
      if (seen.get(step.key) === mark) continue;
      seen.set(step.key, mark);
      const text = stepLine(step, paint);
      if (text !== undefined) io.stderr.write(`${text}\n`);
    }
    if (FINAL.has(run.status)) {
      io.stderr.write(`${runLine(run, paint)}\n`);
      return run;
    }
    await sleep(intervalMs);
  }
}

type Paint = ReturnType<typeof painter>;

/** The same words and marks as `flowline run`'s progress, so local and remote runs read alike. */
function stepLine(step: StepJson, paint: Paint): string | undefined {
  const took = step.duration_ms === null ? '' : ` ${paint.dim(formatDuration(step.duration_ms))}`;
  const attempts = step.attempt > 1 ? ` (attempt ${step.attempt})` : '';
  const reason = step.error?.message ?? step.reason ?? undefined;
  switch (step.status) {
    case 'pending':
      return undefined;
    case 'running':
      return `${paint.dim('▸')} ${step.key}${attempts}`;
    case 'waiting_retry':
      return `${paint.yellow('↻')} ${step.key} failed${attempts}: ${reason ?? ''} — will retry`;
    case 'succeeded':
      return `${paint.green('✓')} ${step.key}${took}${step.cache_hit ? ' (cached)' : ''}${attempts}`;
    case 'failed':
      return `${paint.red('✗')} ${step.key}${took}: ${reason ?? 'failed'}`;
    case 'skipped':
      return `${paint.dim('○')} ${step.key} skipped${reason === undefined ? '' : `: ${reason}`}`;
    case 'upstream_failed':
      return `${paint.dim('○')} ${step.key} not run: ${reason ?? 'a need failed'}`;
    default:
      return `${paint.dim('○')} ${step.key} ${step.status}`;
  }
}

function runLine(run: RunDetailJson, paint: Paint): string {
  const color = run.status === 'succeeded' ? paint.green : paint.red;
  const took =
    run.finished_at === null ? '' : ` in ${formatDuration(Date.parse(run.finished_at) - Date.parse(run.created_at))}`;
  return `run ${run.run_id} ${color(run.status)}${took}${run.error === null ? '' : `: ${run.error.message}`}`;
}
