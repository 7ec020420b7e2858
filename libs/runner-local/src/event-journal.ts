import { errorMessage } from '@flowline/core';
import type { EngineEvent } from '@flowline/engine';
import type { RunStateStore } from '@flowline/ports';

/**
 * Appends a run's events to its log in the order they were applied,
 * batching those that arrive while a write is in flight. A failed write
 * fails every later flush: a gap in the log must never go unnoticed.
 */
export class EventJournal {
  private pending: EngineEvent[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    private readonly store: RunStateStore,
    private readonly runId: string,
    private seq: number,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  append(event: EngineEvent): void {
    this.pending.push(event);
    if (this.pending.length === 1) this.writing = this.writing.then(() => this.write());
  }

  async flush(): Promise<void> {
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private async write(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (this.failure !== undefined || batch.length === 0) return;
    try {
      this.seq = await this.store.appendEvents(this.runId, this.seq, batch);
    } catch (error) {
      this.failure = new Error(`run ${this.runId}: the event log could not be written: ${errorMessage(error)}`, {
        cause: error,
      });
    }
  }
}
