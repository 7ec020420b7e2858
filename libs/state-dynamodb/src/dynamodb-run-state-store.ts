import { randomUUID } from 'node:crypto';

import { FlowlineError } from '@flowline/core';
import type { EngineEvent } from '@flowline/engine';
import {
  type RunRecord,
  type RunRecordStatus,
  type RunStateStore,
  type StoredEvent,
  VersionConflictError,
} from '@flowline/ports';

import { type DynamoDbStateOptions, type StateSettings, openTable, settingsOf } from './dynamodb-state-options.js';
import type { DynamoDbTable, Item, ItemKey } from './dynamodb-table.js';
import { checkContiguous, eventKey, eventsItem, lastSeqOf, storedEvents } from './event-item.js';
import { KnownRuns } from './known-runs.js';
import { listRecords } from './list-records.js';
import { expiryOf, numberAttribute, recordFromItem, recordItem, recordKey, stringAttribute } from './record-item.js';
import { setEventsExpiry } from './run-expiry.js';
import type { TableInitResult } from './table-init.js';
import { ATTR, EVENT_PREFIX, runPk } from './table-layout.js';

/**
 * Run state in one DynamoDB table (docs/state-dynamodb.md). Every write is
 * conditional — a new record or event batch only where no item is, a
 * record update only on the version it was read at — so of two
 * coordinators, or two deliveries of one report, exactly one applies a
 * transition. No transactions: each write is one item.
 */
export class DynamoDbRunStateStore implements RunStateStore {
  /** Connects (no request unless `init`), creating the table first when `init` is true. */
  static async create(options: DynamoDbStateOptions): Promise<DynamoDbRunStateStore> {
    const settings = settingsOf(options);
    const { table, init } = await openTable(options);
    return new DynamoDbRunStateStore(table, settings, init);
  }

  constructor(
    private readonly table: DynamoDbTable,
    private readonly settings: StateSettings,
    /** What `init` did, when it ran. */
    readonly init?: TableInitResult,
  ) {}

  private readonly known = new KnownRuns();

  async create(record: Omit<RunRecord, 'version'>): Promise<RunRecord> {
    const created: RunRecord = { ...record, version: 1 };
    const writer = randomUUID();
    const item = recordItem(created, this.expiryOf(created), writer);
    if (await this.writeOnce(() => this.table.putNew(item), recordKey(record.runId), writer)) {
      this.known.set(record.runId, { lastSeq: 0, expiresAt: this.expiryOf(created) });
      return created;
    }
    throw new VersionConflictError(record.runId, 0, await this.versionOf(record.runId));
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const item = await this.table.getItem(recordKey(runId));
    return item === undefined ? undefined : recordFromItem(item);
  }

  async update(current: RunRecord, next: Partial<Omit<RunRecord, 'runId' | 'version'>>): Promise<RunRecord> {
    const updated: RunRecord = {
      ...current,
      ...next,
      runId: current.runId,
      version: current.version + 1,
      updatedAt: next.updatedAt ?? this.settings.clock(),
    };
    const before = this.expiryOf(current);
    const after = this.expiryOf(updated);
    // A finished run that runs again: its events must not expire under it, so they lose their expiry first.
    if (before !== undefined && after === undefined) await setEventsExpiry(this.table, current.runId, undefined);
    const writer = randomUUID();
    const item = recordItem(updated, after, writer);
    const write = () => this.table.putIfVersion(item, current.version);
    if (!(await this.writeOnce(write, recordKey(current.runId), writer))) {
      throw new VersionConflictError(current.runId, current.version, await this.versionOf(current.runId));
    }
    this.known.setExpiry(current.runId, after);
    if (after !== undefined && after !== before) await this.expireEvents(current.runId, after);
    return updated;
  }

  async appendEvents(runId: string, afterSeq: number, events: readonly EngineEvent[]): Promise<number> {
    const writer = randomUUID();
    // Built first: an oversized batch is refused before any request.
    const item = events.length === 0 ? undefined : eventsItem(runId, afterSeq + 1, events, writer);
    const known = this.known.get(runId);
    if (item === undefined || known?.lastSeq !== afterSeq) return await this.appendChecked(runId, afterSeq, item);
    // We wrote (or checked) `afterSeq` last: the conditional put alone decides.
    return await this.put(runId, afterSeq, item, known.expiresAt);
  }

  /** Reads the record (the run must exist; its expiry) and the log's end, then writes. */
  private async appendChecked(runId: string, afterSeq: number, item: Item | undefined): Promise<number> {
    const [head, last] = await Promise.all([
      this.table.getItem(recordKey(runId), [ATTR.version, ATTR.expiresAt]),
      this.lastSeq(runId),
    ]);
    if (head === undefined) throw runNotFound(runId);
    const expiresAt = numberAttribute(head, ATTR.expiresAt);
    if (last !== afterSeq) {
      this.known.set(runId, { lastSeq: last, expiresAt });
      throw new VersionConflictError(runId, afterSeq, last);
    }
    if (item === undefined) return afterSeq;
    return await this.put(runId, afterSeq, item, expiresAt);
  }

  private async put(runId: string, afterSeq: number, item: Item, expiresAt: number | undefined): Promise<number> {
    // A finished run's late events expire with it.
    if (expiresAt !== undefined) item[ATTR.expiresAt] = { N: String(expiresAt) };
    const lastSeq = afterSeq + Number(item[ATTR.count]?.N);
    const writer = stringAttribute(item, ATTR.writer) ?? '';
    if (await this.writeOnce(() => this.table.putNew(item), eventKey(runId, afterSeq + 1), writer)) {
      this.known.set(runId, { lastSeq, expiresAt });
      return lastSeq;
    }
    this.known.forget(runId);
    throw new VersionConflictError(runId, afterSeq, await this.lastSeq(runId));
  }

  async readEvents(runId: string): Promise<StoredEvent[]> {
    const items = await this.table.query(runPk(runId), { prefix: EVENT_PREFIX });
    const stored = items.flatMap(storedEvents);
    checkContiguous(runId, stored);
    return stored;
  }

  /** Newest first, read from an index: on AWS a write shows there within about a second, not at once. */
  async list(filter: { readonly status?: RunRecordStatus; readonly workflow?: string } = {}): Promise<RunRecord[]> {
    return await listRecords(this.table, filter);
  }

  /** One DescribeTable: DynamoDB answers and the table exists (for `/readyz`). */
  async ping(): Promise<void> {
    await this.table.describe();
  }

  /** Closes the client's connections. */
  close(): void {
    this.table.destroy();
  }

  /**
   * Runs a conditional write; when its condition fails, checks whether the
   * item there is our own: the SDK retries a request whose answer was lost,
   * and the retry then finds the item its first try wrote.
   */
  private async writeOnce(write: () => Promise<boolean>, key: ItemKey, writer: string): Promise<boolean> {
    if (await write()) return true;
    const stored = await this.table.getItem(key, [ATTR.writer]);
    return stringAttribute(stored, ATTR.writer) === writer;
  }

  private async versionOf(runId: string): Promise<number | undefined> {
    return numberAttribute(await this.table.getItem(recordKey(runId), [ATTR.version]), ATTR.version);
  }

  /** The last seq in the run's log: the highest event item, 0 when there is none. */
  private async lastSeq(runId: string): Promise<number> {
    const [last] = await this.table.query(runPk(runId), { prefix: EVENT_PREFIX, descending: true, limit: 1 });
    return last === undefined ? 0 : lastSeqOf(last);
  }

  /**
   * After the record is written, so it cannot fail the transition: a sweep
   * that fails leaves events that never expire (a cost), never a run
   * without its events. The error goes to `onBackgroundError`.
   */
  private async expireEvents(runId: string, expiresAt: number): Promise<void> {
    try {
      await setEventsExpiry(this.table, runId, expiresAt);
    } catch (error) {
      this.settings.onBackgroundError(error);
    }
  }

  private expiryOf(record: RunRecord): number | undefined {
    return expiryOf(record, this.settings.retentionSeconds);
  }
}

function runNotFound(runId: string): FlowlineError {
  return new FlowlineError('run_not_found', `run ${runId} does not exist`, { details: { runId } });
}
