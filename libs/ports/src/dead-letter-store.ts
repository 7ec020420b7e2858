import { ValidationError } from '@flowline/core';
import type { StepError } from '@flowline/engine';

/**
 * A step that exhausted its retries or failed non-retryably (DESIGN §4.4):
 * what an operator needs to decide whether to replay it, and what groups
 * it with alike failures. Everything in it is already masked.
 */
export interface DeadLetter {
  /** `dl-` and 20 hex digits of SHA-256(runId|stepKey|attempt): a redelivered report writes the same letter. */
  readonly id: string;
  readonly runId: string;
  readonly workflowName: string;
  /** The formatted step key: `build`, or `lint[3]` for a for_each item. */
  readonly stepKey: string;
  readonly stepType: string;
  /** Attempts made, the last included. */
  readonly attempts: number;
  readonly error: StepError;
  /** The shell step's exit code, when it had one. */
  readonly exitCode?: number;
  /** SHA-256 of error code, normalized message and exit code: alike failures share it. */
  readonly fingerprint: string;
  /** The step's configuration as rendered for its last attempt (secrets masked). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The end of the step's log (at most 4 KiB). */
  readonly logTail: string;
  /** The worker that ran the last attempt. */
  readonly worker?: string;
  readonly createdAt: number;
}

export interface DeadLetterFilter {
  readonly runId?: string;
  readonly workflow?: string;
  readonly fingerprint?: string;
}

/** Dead-lettered steps, durable beside the run state. */
export interface DeadLetterStore {
  /** Stores a letter; storing the same id again changes nothing. */
  put(letter: DeadLetter): Promise<void>;
  get(id: string): Promise<DeadLetter | undefined>;
  /** Newest first. */
  list(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  /** Removes a letter (replayed or purged); false when there was none. */
  delete(id: string): Promise<boolean>;
}

/** `dl-` and 20 lowercase hex digits: the only ids a DeadLetterStore stores (and safe as a file name or key). */
const DEAD_LETTER_ID = /^dl-[0-9a-f]{20}$/;

/** Whether `id` has a dead letter's form; adapters treat any other id as "not found". */
export function isDeadLetterId(id: string): boolean {
  return DEAD_LETTER_ID.test(id);
}

/** Refuses an id that is not a dead letter's, before anything is written under it. */
export function assertDeadLetterId(id: string): void {
  if (isDeadLetterId(id)) return;
  const message = `dead letter id ${JSON.stringify(id)} is not dl- and 20 hex digits`;
  throw new ValidationError('invalid_dead_letter_id', message, { id });
}
