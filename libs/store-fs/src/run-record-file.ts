import { FlowlineError } from '@flowline/core';
import type { RunRecord } from '@flowline/ports';

import { readTextIfExists } from './fs-helpers.js';

/** `run.json` as text: the id and version first, for whoever reads it with `cat`. */
export function encodeRecord(record: RunRecord): string {
  const { runId, version, ...rest } = record;
  return `${JSON.stringify({ runId, version, ...rest }, null, 2)}\n`;
}

/** The record in `path`, or undefined when there is none. */
export async function readRecord(path: string): Promise<RunRecord | undefined> {
  const text = await readTextIfExists(path);
  return text === undefined ? undefined : decodeRecord(path, text);
}

function decodeRecord(path: string, text: string): RunRecord {
  let value: Partial<RunRecord> | null;
  try {
    value = JSON.parse(text) as Partial<RunRecord> | null;
  } catch {
    value = null;
  }
  if (typeof value?.runId === 'string' && Number.isSafeInteger(value.version)) return value as RunRecord;
  // run.json is only ever replaced whole, so this is damage from outside (an editor, a disk).
  throw new FlowlineError('state_corrupt', `${path} is not a run record`, { details: { path } });
}
