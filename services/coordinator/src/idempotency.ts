import { createHash, randomBytes } from 'node:crypto';

import { canonicalJson } from '@flowline/core';
import type { RunRecord } from '@flowline/ports';

import { ApiError } from './api-error.js';

/** Visible ASCII and spaces, 1 to 255 characters, not starting with a space. */
const KEY = /^[\x21-\x7e][\x20-\x7e]{0,254}$/;

/** The `Idempotency-Key` header, checked; undefined when absent. */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!KEY.test(header)) {
    throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
  }
  return header;
}

/**
 * A run's id. With an idempotency key it is derived from the key, so every
 * coordinator maps one key to one run id and the state store's conditional
 * create decides which request made the run: no key table, no lock.
 * Without one it is random.
 */
export function runIdFor(key: string | undefined): string {
  if (key === undefined) return `r-${randomBytes(13).toString('hex')}`;
  return `r-${createHash('sha256').update(`idem|${key}`, 'utf8').digest('hex').slice(0, 26)}`;
}

/** What a repeated request must agree on with the run its key made. */
export interface RunIdentity {
  readonly workflowDigest: string;
  /** As resolved (defaults filled), which is what the record holds. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly priority: number;
}

/** The run a key already made, if the request is the same one; 409 `idempotency_key_reused` if not. */
export function sameRun(existing: RunRecord, wanted: RunIdentity): RunRecord {
  const same =
    existing.workflowDigest === wanted.workflowDigest &&
    canonicalJson(existing.inputs) === canonicalJson(wanted.inputs) &&
    (existing.priority === undefined || existing.priority === wanted.priority);
  if (same) return existing;
  throw new ApiError(
    409,
    'idempotency_key_reused',
    `this Idempotency-Key already created run ${existing.runId} with a different workflow, inputs or priority`,
    { run_id: existing.runId },
  );
}
