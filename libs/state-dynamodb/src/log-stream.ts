import { randomUUID } from 'node:crypto';

import { FlowlineError } from '@flowline/core';

import type { DynamoDbTable } from './dynamodb-table.js';
import { type LogChunk, MAX_CHUNK_BYTES, logItem, splitText } from './log-item.js';
import { stringAttribute } from './record-item.js';
import { ATTR, chunkOfLogSk, logSk, logStreamPrefix, runPk } from './table-layout.js';

interface Pending {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface StreamContext {
  readonly table: DynamoDbTable;
  readonly clock: () => number;
  readonly retentionSeconds: number;
}

/** Chunk numbers taken by another writer of the same attempt, in a row, before we give up. */
const MAX_TAKEN = 10;

/**
 * The log of one attempt of one step key, as this process writes it. Appends
 * are written in call order; those that arrive while a write is in flight
 * go out together in the next item (a group commit), so a chatty step costs
 * a few writes a second, not one per line. Chunks are numbered from 1; the
 * number is learned from the table once, then counted here, and a
 * conditional put makes sure two writers (a stalled attempt re-run
 * elsewhere) never overwrite each other's chunk.
 */
export class LogStream {
  private readonly pending: Pending[] = [];
  private draining = false;
  private nextChunk: number | undefined;

  constructor(
    private readonly context: StreamContext,
    private readonly runId: string,
    private readonly stepKey: string,
    private readonly attempt: number,
  ) {}

  get idle(): boolean {
    return !this.draining && this.pending.length === 0;
  }

  write(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ text, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      try {
        for (const piece of splitText(batch.map((p) => p.text).join(''))) await this.writeChunk(piece);
        for (const p of batch) p.resolve();
      } catch (error) {
        this.nextChunk = undefined;
        for (const p of batch) p.reject(error);
      }
    }
    this.draining = false;
  }

  /** The waiting appends that fit one item (at least one: a long text is split into several). */
  private takeBatch(): Pending[] {
    let bytes = 0;
    let count = 0;
    for (const p of this.pending) {
      bytes += Buffer.byteLength(p.text, 'utf8');
      if (count > 0 && bytes > MAX_CHUNK_BYTES) break;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async writeChunk(text: string): Promise<void> {
    for (let taken = 0; taken < MAX_TAKEN; taken++) {
      const chunk = this.nextChunk ?? (await this.lastChunk()) + 1;
      if (await this.putChunk(chunk, text)) {
        this.nextChunk = chunk + 1;
        return;
      }
      this.nextChunk = undefined;
    }
    const message = `log of run ${this.runId}, ${this.stepKey} attempt ${this.attempt}: another writer took ${MAX_TAKEN} chunk numbers in a row`;
    throw new FlowlineError('state_conflict', message, { retryable: true });
  }

  private async putChunk(chunk: number, text: string): Promise<boolean> {
    const at = this.context.clock();
    const expiresAt = Math.floor(at / 1000) + this.context.retentionSeconds;
    const writer = randomUUID();
    const value: LogChunk = { stepKey: this.stepKey, attempt: this.attempt, chunk, text, at };
    if (await this.context.table.putNew(logItem(this.runId, value, writer, expiresAt))) return true;
    // Our own earlier try, retried by the SDK after its answer was lost?
    const key = { pk: runPk(this.runId), sk: logSk(this.stepKey, this.attempt, chunk) };
    return stringAttribute(await this.context.table.getItem(key, [ATTR.writer]), ATTR.writer) === writer;
  }

  private async lastChunk(): Promise<number> {
    const prefix = logStreamPrefix(this.stepKey, this.attempt);
    const options = { prefix, descending: true, limit: 1, attributes: [ATTR.sk] };
    const [last] = await this.context.table.query(runPk(this.runId), options);
    return last === undefined ? 0 : chunkOfLogSk(last[ATTR.sk]?.S ?? '');
  }
}
