import type { DynamoDbTable } from './dynamodb-table.js';
import { numberAttribute } from './record-item.js';
import { ATTR, EVENT_PREFIX, runPk } from './table-layout.js';

/** UpdateItem calls in flight at once per sweep: enough to finish a long log quickly, few enough to share the table. */
const SWEEP_CONCURRENCY = 16;

/**
 * Gives every event item of a run the run's expiry (or removes it, when the
 * run runs again). The record carries its own expiry, written with it; log
 * chunks carry one from the moment they are written (docs/state-dynamodb.md,
 * "Expiry"). Items already right are skipped, so a repeated sweep is cheap.
 */
export async function setEventsExpiry(
  table: DynamoDbTable,
  runId: string,
  expiresAt: number | undefined,
): Promise<void> {
  const pk = runPk(runId);
  const items = await table.query(pk, { prefix: EVENT_PREFIX, attributes: [ATTR.sk, ATTR.expiresAt] });
  const stale = items.filter((item) => numberAttribute(item, ATTR.expiresAt) !== expiresAt);
  await forEachLimited(stale, SWEEP_CONCURRENCY, async (item) => {
    await table.setNumber({ pk, sk: item[ATTR.sk]?.S ?? '' }, ATTR.expiresAt, expiresAt);
  });
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
