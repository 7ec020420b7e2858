import { FlowlineError, formatBytes } from '@flowline/core';
import type { DeadLetter, DeadLetterFilter } from '@flowline/ports';

import type { Item, ItemKey } from './dynamodb-table.js';
import { MAX_PAYLOAD_BYTES, byteLength } from './item-size.js';
import { ATTR, DEAD_LETTER_PK, letterSk } from './table-layout.js';

export function letterKey(id: string): ItemKey {
  return { pk: DEAD_LETTER_PK, sk: letterSk(id) };
}

/**
 * A dead letter as one item of the `DLQ` partition, keyed by its id. The
 * letter itself is JSON in `record` (exact, like a run record); beside it
 * the attributes `list` filters on and sorts by, and the expiry.
 */
export function letterItem(letter: DeadLetter, expiresAt: number): Item {
  const json = JSON.stringify(letter);
  const bytes = byteLength(json);
  if (bytes > MAX_PAYLOAD_BYTES) throw letterTooLarge(letter, bytes);
  const { pk, sk } = letterKey(letter.id);
  return {
    [ATTR.pk]: { S: pk },
    [ATTR.sk]: { S: sk },
    [ATTR.record]: { S: json },
    [ATTR.letterRun]: { S: letter.runId },
    [ATTR.letterWorkflow]: { S: letter.workflowName },
    [ATTR.letterFingerprint]: { S: letter.fingerprint },
    [ATTR.at]: { N: String(letter.createdAt) },
    [ATTR.expiresAt]: { N: String(expiresAt) },
  };
}

export function letterFromItem(item: Item): DeadLetter {
  const json = item[ATTR.record]?.S;
  const parsed = json === undefined ? undefined : parseJson(json);
  const sk = item[ATTR.sk]?.S ?? '?';
  if (typeof parsed !== 'object' || parsed === null || sk !== letterSk((parsed as Partial<DeadLetter>).id ?? '')) {
    throw new FlowlineError('state_corrupt', `the item ${DEAD_LETTER_PK} / ${sk} is not a dead letter`, {
      details: { sk },
    });
  }
  return parsed as DeadLetter;
}

/** The filter as conditions on the item's attributes. */
export function letterConditions(filter: DeadLetterFilter): Record<string, string> {
  return {
    ...(filter.runId === undefined ? {} : { [ATTR.letterRun]: filter.runId }),
    ...(filter.workflow === undefined ? {} : { [ATTR.letterWorkflow]: filter.workflow }),
    ...(filter.fingerprint === undefined ? {} : { [ATTR.letterFingerprint]: filter.fingerprint }),
  };
}

/** Newest first; of one time, the greater id first (as the file store and `runs list` order). */
export function newestFirst(letters: DeadLetter[]): DeadLetter[] {
  return letters.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/**
 * A letter holds a 4 KiB log tail, so only huge rendered inputs (a prompt
 * of hundreds of KiB) can make it too large for one item.
 */
function letterTooLarge(letter: DeadLetter, bytes: number): FlowlineError {
  const message =
    `dead letter ${letter.id} (run ${letter.runId}, step ${letter.stepKey}) is ${formatBytes(bytes)} as JSON; ` +
    `a DynamoDB item holds at most 400 KB and Flowline keeps one under ${formatBytes(MAX_PAYLOAD_BYTES)}: ` +
    `its rendered inputs are too large to keep in the dead-letter list`;
  return new FlowlineError('state_item_too_large', message, {
    details: { id: letter.id, runId: letter.runId, stepKey: letter.stepKey, bytes, limit: MAX_PAYLOAD_BYTES },
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
