import { FlowlineError } from '@flowline/core';
import { type EngineEvent, formatStepKey } from '@flowline/engine';
import type { StoredEvent } from '@flowline/ports';

import type { Item, ItemKey } from './dynamodb-table.js';
import { MAX_PAYLOAD_BYTES, byteLength, tooLarge } from './item-size.js';
import { ATTR, eventSk, runPk, seqOfEventSk } from './table-layout.js';

export function eventKey(runId: string, firstSeq: number): ItemKey {
  return { pk: runPk(runId), sk: eventSk(firstSeq) };
}

/**
 * One append is one item: `EVENT#<first seq>` holding the batch's events as
 * a JSON array. The batch is what a coordinator derived from one report
 * (`retry_due`, `step_started`, `step_finished`), so it lands whole or not
 * at all — DynamoDB writes one item atomically, and we have no transactions.
 */
export function eventsItem(runId: string, firstSeq: number, events: readonly EngineEvent[], writer: string): Item {
  const json = JSON.stringify(events);
  checkSize(runId, firstSeq, events, byteLength(json));
  return {
    [ATTR.pk]: { S: runPk(runId) },
    [ATTR.sk]: { S: eventSk(firstSeq) },
    [ATTR.count]: { N: String(events.length) },
    [ATTR.events]: { S: json },
    [ATTR.writer]: { S: writer },
  };
}

/** The last seq an event item holds. */
export function lastSeqOf(item: Item): number {
  const sk = item[ATTR.sk]?.S ?? '';
  return seqOfEventSk(sk) + Number(item[ATTR.count]?.N ?? '0') - 1;
}

export function storedEvents(item: Item): StoredEvent[] {
  const first = seqOfEventSk(item[ATTR.sk]?.S ?? '');
  const events = parseEvents(item);
  if (events === undefined || !Number.isSafeInteger(first) || events.length !== Number(item[ATTR.count]?.N)) {
    throw corrupt(item, 'is not an event batch');
  }
  return events.map((event, i) => ({ seq: first + i, event }));
}

/** Gaps or overlaps mean someone wrote the table by hand: say so rather than replay a wrong history. */
export function checkContiguous(runId: string, stored: readonly StoredEvent[]): void {
  const gap = stored.findIndex((e, i) => e.seq !== i + 1);
  if (gap < 0) return;
  throw new FlowlineError(
    'state_corrupt',
    `run ${runId}: event ${gap + 1} is missing from the log (found seq ${stored[gap]?.seq})`,
    { details: { runId, seq: gap + 1 } },
  );
}

/** Names the largest event when a batch is too large for one item, so the step at fault is obvious. */
function checkSize(runId: string, firstSeq: number, events: readonly EngineEvent[], bytes: number): void {
  if (bytes <= MAX_PAYLOAD_BYTES) return;
  const sizes = events.map((event) => byteLength(JSON.stringify(event)));
  const largest = sizes.indexOf(Math.max(...sizes));
  const seq = firstSeq + largest;
  const event = events[largest]!;
  const named = `event ${seq} (${describeEvent(event)})`;
  const details = { runId, seq, type: event.type };
  if (sizes[largest]! > MAX_PAYLOAD_BYTES) throw tooLarge(`run ${runId}: ${named}`, sizes[largest]!, details);
  const what = `run ${runId}: the ${events.length} events appended together (the largest: ${named})`;
  throw tooLarge(what, bytes, details);
}

function describeEvent(event: EngineEvent): string {
  return 'key' in event ? `${event.type} of ${formatStepKey(event.key)}, attempt ${event.attempt}` : event.type;
}

function parseEvents(item: Item): EngineEvent[] | undefined {
  try {
    const value = JSON.parse(item[ATTR.events]?.S ?? '') as unknown;
    return Array.isArray(value) ? (value as EngineEvent[]) : undefined;
  } catch {
    return undefined;
  }
}

function corrupt(item: Item, problem: string): FlowlineError {
  const where = `${item[ATTR.pk]?.S ?? '?'} / ${item[ATTR.sk]?.S ?? '?'}`;
  return new FlowlineError('state_corrupt', `the item ${where} ${problem}`, { details: { item: where } });
}
