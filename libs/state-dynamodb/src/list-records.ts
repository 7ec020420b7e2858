import type { RunRecordStatus } from '@flowline/ports';
import type { RunRecord } from '@flowline/ports';

import type { DynamoDbTable, IndexQuery, Item } from './dynamodb-table.js';
import { recordFromItem } from './record-item.js';
import { ATTR, INDEX } from './table-layout.js';

/** Every status, so "all runs" is one query per status; a new status is a compile error here until listed. */
const STATUSES: Record<RunRecordStatus, true> = {
  queued: true,
  running: true,
  succeeded: true,
  failed: true,
  cancelled: true,
};

export interface ListFilter {
  readonly status?: RunRecordStatus;
  readonly workflow?: string;
}

/**
 * Runs newest first, from the two indexes (both sorted by created time):
 * by workflow (with the status as a filter) when a workflow is given, by
 * status when only a status is, and otherwise every status partition,
 * merged. Never a scan.
 */
export async function listRecords(table: DynamoDbTable, filter: ListFilter): Promise<RunRecord[]> {
  const queries = indexQueries(filter);
  const results = await Promise.all(queries.map((query) => table.queryIndex(query)));
  return newestFirst(results.flat()).map(recordFromItem);
}

function indexQueries(filter: ListFilter): IndexQuery[] {
  if (filter.workflow !== undefined) {
    const base = { index: INDEX.byWorkflow, keyAttribute: ATTR.workflow, keyValue: filter.workflow };
    return [filter.status === undefined ? base : { ...base, filter: { attribute: ATTR.status, value: filter.status } }];
  }
  const statuses = filter.status === undefined ? (Object.keys(STATUSES) as RunRecordStatus[]) : [filter.status];
  return statuses.map((status) => ({ index: INDEX.byStatus, keyAttribute: ATTR.status, keyValue: status }));
}

function newestFirst(items: Item[]): Item[] {
  const key = (item: Item) => item[ATTR.listKey]?.S ?? '';
  return items.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}
