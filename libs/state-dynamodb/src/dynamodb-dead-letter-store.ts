import {
  type DeadLetter,
  type DeadLetterFilter,
  type DeadLetterStore,
  assertDeadLetterId,
  isDeadLetterId,
} from '@flowline/ports';

import { type DynamoDbStateOptions, type StateSettings, openTable, settingsOf } from './dynamodb-state-options.js';
import type { DynamoDbTable } from './dynamodb-table.js';
import { letterConditions, letterFromItem, letterItem, letterKey, newestFirst } from './letter-item.js';
import { DEAD_LETTER_PK, LETTER_PREFIX } from './table-layout.js';

/**
 * Dead letters in the state table (docs/state-dynamodb.md, "Dead letters"):
 * one item per letter in the single partition `DLQ`, sort key
 * `LETTER#<id>`, so `get` and `delete` are one request by id. A put is
 * create-only (`attribute_not_exists`): a redelivered report writes the
 * same id and changes nothing. `list` reads the whole partition (a
 * consistent query, filtered on the server) and sorts newest first in
 * memory — fine for the thousands of letters an operator works through,
 * not for millions. A letter expires `retentionDays` after it was made, as
 * its run (which finishes no earlier) does.
 */
export class DynamoDbDeadLetterStore implements DeadLetterStore {
  static async create(options: DynamoDbStateOptions): Promise<DynamoDbDeadLetterStore> {
    const settings = settingsOf(options);
    const { table } = await openTable(options);
    return new DynamoDbDeadLetterStore(table, settings);
  }

  constructor(
    private readonly table: DynamoDbTable,
    private readonly settings: StateSettings,
  ) {}

  async put(letter: DeadLetter): Promise<void> {
    assertDeadLetterId(letter.id);
    const expiresAt = Math.floor(letter.createdAt / 1000) + this.settings.retentionSeconds;
    // A failed condition is the letter already there (ours retried by the SDK, or a redelivery): nothing to do.
    await this.table.putNew(letterItem(letter, expiresAt));
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    if (!isDeadLetterId(id)) return undefined;
    const item = await this.table.getItem(letterKey(id));
    return item === undefined ? undefined : letterFromItem(item);
  }

  async list(filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
    const items = await this.table.query(DEAD_LETTER_PK, { prefix: LETTER_PREFIX, where: letterConditions(filter) });
    return newestFirst(items.map(letterFromItem));
  }

  /**
   * One DeleteItem. If its answer is lost and the SDK sends it again, the
   * retry finds nothing and this says false although the letter was there:
   * either way it is gone.
   */
  async delete(id: string): Promise<boolean> {
    if (!isDeadLetterId(id)) return false;
    return await this.table.deleteItem(letterKey(id));
  }

  /** Closes the client's connections. */
  close(): void {
    this.table.destroy();
  }
}
