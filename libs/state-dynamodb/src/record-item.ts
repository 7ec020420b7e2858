import { FlowlineError, assertNever } from '@flowline/core';
import type { RunRecord, RunRecordStatus } from '@flowline/ports';

import type { Item, ItemKey } from './dynamodb-table.js';
import { MAX_PAYLOAD_BYTES, byteLength, tooLarge } from './item-size.js';
import { ATTR, RECORD_SK, listKey, runPk } from './table-layout.js';

export function recordKey(runId: string): ItemKey {
  return { pk: runPk(runId), sk: RECORD_SK };
}

/**
 * The run record as one item. The record itself is JSON in `record`: JSON
 * round-trips every value exactly (DynamoDB's own numbers and maps do not:
 * no NaN, 38 digits, 32 levels). Beside it, the attributes DynamoDB must
 * read: `version` for conditional writes, the indexes' keys, the expiry.
 */
export function recordItem(record: RunRecord, expiresAt: number | undefined, writer: string): Item {
  const { version, ...rest } = record;
  const json = JSON.stringify(rest);
  const bytes = byteLength(json);
  if (bytes > MAX_PAYLOAD_BYTES) throw tooLarge(`run ${record.runId}'s record`, bytes, { runId: record.runId });
  return {
    [ATTR.pk]: { S: runPk(record.runId) },
    [ATTR.sk]: { S: RECORD_SK },
    [ATTR.version]: { N: String(version) },
    [ATTR.record]: { S: json },
    [ATTR.status]: { S: record.status },
    [ATTR.workflow]: { S: record.workflowName },
    [ATTR.listKey]: { S: listKey(record.createdAt, record.runId) },
    [ATTR.writer]: { S: writer },
    ...(expiresAt === undefined ? {} : { [ATTR.expiresAt]: { N: String(expiresAt) } }),
  };
}

export function recordFromItem(item: Item): RunRecord {
  const version = numberAttribute(item, ATTR.version);
  const json = item[ATTR.record]?.S;
  const parsed = json === undefined ? undefined : parseJson(json);
  if (version === undefined || typeof parsed !== 'object' || parsed === null) {
    throw new FlowlineError('state_corrupt', `the item ${item[ATTR.pk]?.S ?? '?'} / RECORD is not a run record`, {
      details: { pk: item[ATTR.pk]?.S },
    });
  }
  return { ...(parsed as Omit<RunRecord, 'version'>), version };
}

export function numberAttribute(item: Item | undefined, name: string): number | undefined {
  const value = item?.[name]?.N;
  return value === undefined ? undefined : Number(value);
}

export function stringAttribute(item: Item | undefined, name: string): string | undefined {
  return item?.[name]?.S;
}

/**
 * When a run's items expire, in epoch seconds: `retentionSeconds` after it
 * finished; never while it runs (a retried run runs again).
 */
export function expiryOf(record: RunRecord, retentionSeconds: number): number | undefined {
  return isFinished(record.status)
    ? Math.floor((record.finishedAt ?? record.updatedAt) / 1000) + retentionSeconds
    : undefined;
}

function isFinished(status: RunRecordStatus): boolean {
  switch (status) {
    case 'queued':
    case 'running':
      return false;
    case 'succeeded':
    case 'failed':
    case 'cancelled':
      return true;
    default:
      return assertNever(status);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
