import { type EngineEvent, type RunStatus, type StepOutcome, formatStepKey } from '@flowline/engine';
import type { BlobStore, RunRecord, RunStateStore, StoredEvent } from '@flowline/ports';

import { OutputBlobs } from './output-blobs.js';

export interface OffloadingRunStateStoreDeps {
  /** The store that holds the state (DynamoDB, files); it sees markers in place of large values. */
  readonly inner: RunStateStore;
  /** Where large values go: the cluster's content-addressed blob store (S3, files). */
  readonly blobs: BlobStore;
  /** A private directory values pass through on their way to and from `blobs`. */
  readonly tempDir: string;
  /** Values above this many bytes are offloaded (default 64 KiB, DESIGN §2). */
  readonly inlineLimitBytes?: number;
  /** Memory for values this process wrote or read, so they are not fetched again (default 32 MiB). */
  readonly cacheBytes?: number;
}

type Outputs = Readonly<Record<string, unknown>>;

/**
 * DESIGN §2 "Large outputs" for cluster runs, as a RunStateStore decorator
 * so that the engine, the coordinator and the workers never see it: a
 * step's output value over 64 KiB (in `step_finished` events, ok or
 * failed) and a run's output over 64 KiB (in the run record) is stored in
 * the blob store, and the state holds a small marker naming its SHA-256
 * (output-marker.ts). Every read resolves markers back, so replay,
 * templates and run outputs see the value as the step produced it. A value
 * that cannot be stored fails the write (retryable as the blob store says),
 * and nothing is written to the state.
 */
export class OffloadingRunStateStore implements RunStateStore {
  private readonly inner: RunStateStore;
  private readonly outputs: OutputBlobs;

  constructor(deps: OffloadingRunStateStoreDeps) {
    this.inner = deps.inner;
    this.outputs = new OutputBlobs({
      blobs: deps.blobs,
      tempDir: deps.tempDir,
      ...(deps.inlineLimitBytes === undefined ? {} : { inlineLimitBytes: deps.inlineLimitBytes }),
      ...(deps.cacheBytes === undefined ? {} : { cacheBytes: deps.cacheBytes }),
    });
  }

  async create(record: Omit<RunRecord, 'version'>): Promise<RunRecord> {
    const created = await this.inner.create(await this.encodeRecord(record, record.runId));
    return await this.decodeRecord(created);
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    const record = await this.inner.get(runId);
    return record === undefined ? undefined : await this.decodeRecord(record);
  }

  /**
   * `current` is encoded too: a store may write it back merged with `next`
   * (DynamoDB does), and it must not write the full values inline. The
   * values are known here (they were read through this store), so no blob
   * is sent again.
   */
  async update(current: RunRecord, next: Partial<Omit<RunRecord, 'runId' | 'version'>>): Promise<RunRecord> {
    const [storedCurrent, storedNext] = await Promise.all([
      this.encodeRecord(current, current.runId),
      this.encodeRecord(next, current.runId),
    ]);
    const updated = await this.inner.update(storedCurrent, storedNext);
    return await this.decodeRecord(updated);
  }

  async appendEvents(runId: string, afterSeq: number, events: readonly EngineEvent[]): Promise<number> {
    const encoded = await Promise.all(events.map((event) => this.encodeEvent(runId, event)));
    return await this.inner.appendEvents(runId, afterSeq, encoded);
  }

  async readEvents(runId: string): Promise<StoredEvent[]> {
    const stored = await this.inner.readEvents(runId);
    return await Promise.all(
      stored.map(async ({ seq, event }) => ({ seq, event: await this.decodeEvent(runId, event) })),
    );
  }

  async list(filter?: { readonly status?: RunStatus; readonly workflow?: string }): Promise<RunRecord[]> {
    const records = await this.inner.list(filter);
    return await Promise.all(records.map((record) => this.decodeRecord(record)));
  }

  private async encodeEvent(runId: string, event: EngineEvent): Promise<EngineEvent> {
    if (event.type !== 'step_finished' || event.outcome.outputs === undefined) return event;
    const where = `run ${runId}: step ${formatStepKey(event.key)} attempt ${event.attempt}`;
    const outputs = await this.outputs.encode(event.outcome.outputs, where);
    return outputs === event.outcome.outputs ? event : { ...event, outcome: withOutputs(event.outcome, outputs) };
  }

  private async decodeEvent(runId: string, event: EngineEvent): Promise<EngineEvent> {
    if (event.type !== 'step_finished' || event.outcome.outputs === undefined) return event;
    const where = `run ${runId}: step ${formatStepKey(event.key)} attempt ${event.attempt}`;
    const outputs = await this.outputs.decode(event.outcome.outputs, where);
    return outputs === event.outcome.outputs ? event : { ...event, outcome: withOutputs(event.outcome, outputs) };
  }

  /**
   * A run's outputs are strings by type; in the inner store a large one is
   * a marker object instead, which only this store ever reads back — hence
   * the casts between the two.
   */
  private async encodeRecord<R extends { readonly outputs?: RunRecord['outputs'] }>(
    record: R,
    runId: string,
  ): Promise<R> {
    if (record.outputs === undefined) return record;
    const outputs = await this.outputs.encode(record.outputs, `run ${runId}`);
    return outputs === record.outputs ? record : { ...record, outputs: outputs as RunRecord['outputs'] };
  }

  private async decodeRecord(record: RunRecord): Promise<RunRecord> {
    if (record.outputs === undefined) return record;
    const outputs = await this.outputs.decode(record.outputs, `run ${record.runId}`);
    return outputs === record.outputs ? record : { ...record, outputs: outputs as RunRecord['outputs'] };
  }
}

function withOutputs(outcome: StepOutcome, outputs: Outputs): StepOutcome {
  return { ...outcome, outputs };
}
