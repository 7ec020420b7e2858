import type { RunRecord, RunStateStore } from '@flowline/ports';
import type { Request } from 'express';

import { ApiError } from './api-error.js';

/** Run ids as the stores accept them; anything else cannot name a run. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The run id of the URL, or 404: an id no store could hold names no run. */
export function runIdOf(req: Request): string {
  const id = req.params['id'];
  if (typeof id !== 'string' || !RUN_ID.test(id)) throw unknownRun(String(id));
  return id;
}

/** The record of the URL's run, or 404 `unknown_run`. */
export async function existingRun(runs: RunStateStore, req: Request): Promise<RunRecord> {
  const runId = runIdOf(req);
  const record = await runs.get(runId);
  if (record === undefined) throw unknownRun(runId);
  return record;
}

function unknownRun(runId: string): ApiError {
  return new ApiError(404, 'unknown_run', `there is no run ${JSON.stringify(runId)}`);
}
