import type { EngineEvent, RunStatus, StepError } from '@flowline/engine';

/**
 * A run's status as stored: the scheduler's, plus `queued` for a cluster run
 * waiting for a slot in its concurrency group (it has no events yet).
 */
export type RunRecordStatus = RunStatus | 'queued';

/**
 * A run's durable header. The event log, replayed through the scheduler,
 * gives the full state; the record says what the run is, where it lives,
 * and how it ended. `version` grows by one with every write, and writes are
 * conditional on it, so two writers can never both apply a transition.
 */
export interface RunRecord {
  readonly runId: string;
  readonly version: number;
  readonly workflowName: string;
  /** Absolute path of the workflow file the run came from. */
  readonly workflowFile: string;
  readonly workflowDigest: string;
  readonly workspace: string;
  /** Inputs as given and defaulted (secrets are never inputs). */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly status: RunRecordStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly finishedAt?: number;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly error?: StepError;
  /** Where a driver holds the run: the process id of `flowline run`, for `runs list`. */
  readonly owner?: string;
  /** Cluster runs: the blob digest of the stored workflow bundle, which workers compile. */
  readonly workflowSource?: string;
  /** Cluster runs: 1 (lowest) to 10, ordering the run's steps in the queues. */
  readonly priority?: number;
  /** Cluster runs of a workflow with `concurrency`: the rendered group key and its limit. */
  readonly concurrency?: { readonly group: string; readonly limit: number };
}

/** One entry of a run's append-only event log, numbered from 1 without gaps. */
export interface StoredEvent {
  readonly seq: number;
  readonly event: EngineEvent;
}

export class VersionConflictError extends Error {
  constructor(
    readonly runId: string,
    readonly expected: number,
    readonly actual: number | undefined,
  ) {
    super(`run ${runId}: expected version ${expected}, found ${actual ?? 'none'}`);
    this.name = 'VersionConflictError';
  }
}

/** Durable run state (DESIGN §2): nothing else holds it. */
export interface RunStateStore {
  /** Creates a run at version 1; throws VersionConflictError when the id exists. */
  create(record: Omit<RunRecord, 'version'>): Promise<RunRecord>;
  get(runId: string): Promise<RunRecord | undefined>;
  /** Writes `next` as version `current.version + 1` if the stored version is still `current.version`. */
  update(current: RunRecord, next: Partial<Omit<RunRecord, 'runId' | 'version'>>): Promise<RunRecord>;
  /** Appends events after `afterSeq` (the caller's last known seq); returns the new last seq. */
  appendEvents(runId: string, afterSeq: number, events: readonly EngineEvent[]): Promise<number>;
  readEvents(runId: string): Promise<StoredEvent[]>;
  /** Newest first. */
  list(filter?: { readonly status?: RunRecordStatus; readonly workflow?: string }): Promise<RunRecord[]>;
}

/** A step attempt's log lines (stdout, stderr, and Flowline's own notes), already masked. */
export interface StepLogStore {
  append(runId: string, stepKey: string, attempt: number, text: string): Promise<void>;
  /** Every attempt's log of one step key, or of the whole run when `stepKey` is undefined. */
  read(runId: string, stepKey?: string): Promise<string>;
}
