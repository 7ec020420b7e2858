import type { StepLogStore } from '@flowline/ports';

import { type DynamoDbStateOptions, type StateSettings, openTable, settingsOf } from './dynamodb-state-options.js';
import type { DynamoDbTable } from './dynamodb-table.js';
import { chunkFromItem, renderRunLog, renderStepLog } from './log-item.js';
import { LogStream } from './log-stream.js';
import { LOG_PREFIX, logPrefix, runPk } from './table-layout.js';

/** Attempts whose chunk counter this process remembers; an idle one past this is forgotten (and re-read if needed). */
const MAX_STREAMS = 1024;

/**
 * Step logs in the state table, beside the run they belong to: one item per
 * write, `LOG#<step key>#<attempt>#<chunk>`. `read` gives the same text as
 * the file store: a header whenever the attempt changes, and a whole run's
 * keys in the order they began logging. Every chunk expires `retentionDays`
 * after it was written.
 */
export class DynamoDbStepLogStore implements StepLogStore {
  static async create(options: DynamoDbStateOptions): Promise<DynamoDbStepLogStore> {
    const settings = settingsOf(options);
    const { table } = await openTable(options);
    return new DynamoDbStepLogStore(table, settings);
  }

  private readonly streams = new Map<string, LogStream>();

  constructor(
    private readonly table: DynamoDbTable,
    private readonly settings: StateSettings,
  ) {}

  /** Resolves once the text is stored; appends to one attempt are stored in call order. */
  async append(runId: string, stepKey: string, attempt: number, text: string): Promise<void> {
    if (text === '') return;
    await this.stream(runId, stepKey, attempt).write(text);
  }

  async read(runId: string, stepKey?: string): Promise<string> {
    const prefix = stepKey === undefined ? LOG_PREFIX : logPrefix(stepKey);
    const chunks = (await this.table.query(runPk(runId), { prefix })).map(chunkFromItem);
    return stepKey === undefined ? renderRunLog(chunks) : renderStepLog(chunks);
  }

  /** Closes the client's connections. */
  close(): void {
    this.table.destroy();
  }

  /** The attempt's stream, most recently used last, so the idle ones forgotten first are the oldest. */
  private stream(runId: string, stepKey: string, attempt: number): LogStream {
    const id = JSON.stringify([runId, stepKey, attempt]);
    const context = { table: this.table, clock: this.settings.clock, retentionSeconds: this.settings.retentionSeconds };
    const stream = this.streams.get(id) ?? new LogStream(context, runId, stepKey, attempt);
    this.streams.delete(id);
    this.streams.set(id, stream);
    for (const [other, old] of this.streams) {
      if (this.streams.size <= MAX_STREAMS) break;
      if (old.idle) this.streams.delete(other);
    }
    return stream;
  }
}
