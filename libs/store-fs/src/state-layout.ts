import { join } from 'node:path';

import { FlowlineError, ValidationError } from '@flowline/core';

/**
 * Where everything lives under the state directory (docs/state-and-cache.md):
 *
 *   runs/<run_id>/run.json        the run record, replaced atomically
 *   runs/<run_id>/events.jsonl    the event log, append-only
 *   runs/<run_id>/.lock           held while writing
 *   runs/<run_id>/logs/           step logs, one file per step key
 *   cache/entries/ab/<key>.json   step cache entries
 *   cache/blobs/ab/<rest>         content-addressed file bytes
 *   dead-letters/<id>.json        dead-lettered steps, created once, never replaced
 */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Below the usual 255-byte limit on a file name, leaving room for `.log` and temp suffixes. */
const MAX_ENCODED_KEY = 200;

export function runsDir(stateDir: string): string {
  return join(stateDir, 'runs');
}

export function deadLettersDir(stateDir: string): string {
  return join(stateDir, 'dead-letters');
}

/** The directory of one run; throws when the id is not a safe path segment. */
export function runDir(stateDir: string, runId: string): string {
  assertRunId(runId);
  return join(stateDir, 'runs', runId);
}

export function isRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}

export function assertRunId(runId: string): void {
  if (isRunId(runId)) return;
  throw new ValidationError(
    'invalid_run_id',
    `run id ${JSON.stringify(runId)} is not valid: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    { runId },
  );
}

/**
 * A step key (`build`, `each[3]`) as a file name: letters, digits, `_` and
 * `-` stay, every other byte becomes `%XX`, so `each[3]` is `each%5B3%5D`.
 * No name can be `.`, `..`, hidden, or contain `/`.
 */
export function encodeStepKey(stepKey: string): string {
  let encoded = '';
  for (const byte of Buffer.from(stepKey, 'utf8')) {
    const char = String.fromCharCode(byte);
    encoded += /[A-Za-z0-9_-]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (encoded === '' || encoded.length > MAX_ENCODED_KEY) {
    throw new ValidationError('invalid_step_key', `step key ${JSON.stringify(stepKey)} is empty or too long`, {
      stepKey,
    });
  }
  return encoded;
}

export function runNotFound(runId: string): FlowlineError {
  return new FlowlineError('run_not_found', `run ${runId} does not exist`, { details: { runId } });
}
