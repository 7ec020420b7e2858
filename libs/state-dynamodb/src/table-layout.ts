/**
 * Where everything lives in the one table (docs/state-dynamodb.md): every
 * item of a run shares the partition `RUN#<run id>`, so a run's record,
 * events and logs are read with one key, and the sort key says what an item
 * is. Numbers in sort keys are zero-padded so that string order is number
 * order.
 */
export const ATTR = {
  pk: 'PK',
  sk: 'SK',
  version: 'version',
  /** The run record (or an event batch, a log chunk's text) as JSON or text. */
  record: 'record',
  status: 'runStatus',
  workflow: 'workflow',
  /** `<created at, 15 digits>#<run id>`: the indexes' sort key, newest last. */
  listKey: 'listKey',
  events: 'events',
  count: 'count',
  stepKey: 'stepKey',
  attempt: 'attempt',
  text: 'text',
  at: 'at',
  /** A random token per write call: tells our own retried write from someone else's. */
  writer: 'writer',
  /** Epoch seconds; DynamoDB's TTL deletes the item some time after. */
  expiresAt: 'expiresAt',
  /**
   * A dead letter's run, workflow and fingerprint, for `list`'s filters.
   * Deliberately not `workflow` or `runStatus`: an item with either would
   * land in the run indexes, which must hold run records only.
   */
  letterRun: 'letterRun',
  letterWorkflow: 'letterWorkflow',
  letterFingerprint: 'letterFingerprint',
} as const;

export const INDEX = {
  byStatus: 'byStatus',
  byWorkflow: 'byWorkflow',
} as const;

export const RECORD_SK = 'RECORD';
export const EVENT_PREFIX = 'EVENT#';
export const LOG_PREFIX = 'LOG#';
/** Every dead letter lives in this one partition (docs/state-dynamodb.md, "Dead letters"). */
export const DEAD_LETTER_PK = 'DLQ';
export const LETTER_PREFIX = 'LETTER#';

const SEQ_DIGITS = 12;
const ATTEMPT_DIGITS = 6;
const CHUNK_DIGITS = 10;
const TIME_DIGITS = 15;

export function runPk(runId: string): string {
  return `RUN#${runId}`;
}

/** The first seq of the batch the item holds. */
export function eventSk(firstSeq: number): string {
  return `${EVENT_PREFIX}${pad(firstSeq, SEQ_DIGITS)}`;
}

export function seqOfEventSk(sk: string): number {
  return Number(sk.slice(EVENT_PREFIX.length));
}

/**
 * The step key is URI-encoded so that `#` can never occur in it, which
 * keeps `LOG#<key>#` a prefix of that key's chunks only (`build` never
 * matches `build[2]`, encoded `build%5B2%5D`).
 */
export function logPrefix(stepKey: string): string {
  return `${LOG_PREFIX}${encodeURIComponent(stepKey)}#`;
}

export function logStreamPrefix(stepKey: string, attempt: number): string {
  return `${logPrefix(stepKey)}${pad(attempt, ATTEMPT_DIGITS)}#`;
}

export function logSk(stepKey: string, attempt: number, chunk: number): string {
  return `${logStreamPrefix(stepKey, attempt)}${pad(chunk, CHUNK_DIGITS)}`;
}

export function chunkOfLogSk(sk: string): number {
  return Number(sk.slice(sk.lastIndexOf('#') + 1));
}

export function letterSk(id: string): string {
  return `${LETTER_PREFIX}${id}`;
}

export function listKey(createdAt: number, runId: string): string {
  return `${pad(Math.max(0, Math.trunc(createdAt)), TIME_DIGITS)}#${runId}`;
}

function pad(n: number, digits: number): string {
  return String(n).padStart(digits, '0');
}
