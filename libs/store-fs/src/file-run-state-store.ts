import { access, mkdir, open, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import type { EngineEvent } from '@flowline/engine';
import {
  type RunRecord,
  type RunRecordStatus,
  type RunStateStore,
  type StoredEvent,
  VersionConflictError,
} from '@flowline/ports';

import { createFile, replaceFile, syncDirectory } from './atomic-file.js';
import { appendEvents, readEvents } from './event-log.js';
import { withFileLock } from './file-lock.js';
import { hasCode } from './fs-helpers.js';
import { encodeRecord, readRecord } from './run-record-file.js';
import { serialized } from './serialize.js';
import { isRunId, runDir, runNotFound, runsDir } from './state-layout.js';

export interface FileRunStateStoreOptions {
  /** How long a write waits for another process holding the run's lock before failing (retryable). */
  readonly lockTimeoutMs?: number;
  /** The clock for `updatedAt` when an update does not set it. */
  readonly now?: () => number;
}

const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

/**
 * The embedded run state: `<stateDir>/runs/<run_id>/run.json` (replaced
 * atomically, durable before a write returns) and `events.jsonl` (appended,
 * fsync'd). Writes are conditional: on the record's version for `update`, on
 * the last seq for `appendEvents`. Writers to one run are serialized in this
 * process by a queue and across processes by a lock file.
 */
export class FileRunStateStore implements RunStateStore {
  private readonly stateDir: string;
  private readonly lockTimeoutMs: number;
  private readonly now: () => number;

  constructor(stateDir: string, options: FileRunStateStoreOptions = {}) {
    this.stateDir = resolve(stateDir);
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  async create(record: Omit<RunRecord, 'version'>): Promise<RunRecord> {
    const dir = runDir(this.stateDir, record.runId);
    const created: RunRecord = { ...record, version: 1 };
    await mkdir(join(dir, 'logs'), { recursive: true });
    // The event log exists before the record does, so a run that can be read can be appended to.
    await (await open(join(dir, 'events.jsonl'), 'a')).close();
    if (!(await createFile(join(dir, 'run.json'), encodeRecord(created), { durable: true }))) {
      const existing = await readRecord(join(dir, 'run.json'));
      throw new VersionConflictError(record.runId, 0, existing?.version);
    }
    // The new names up the tree: runs/<id>, and runs/ itself on the first run.
    await syncDirectory(runsDir(this.stateDir));
    await syncDirectory(this.stateDir);
    return created;
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    return await readRecord(join(runDir(this.stateDir, runId), 'run.json'));
  }

  async update(current: RunRecord, next: Partial<Omit<RunRecord, 'runId' | 'version'>>): Promise<RunRecord> {
    const path = join(runDir(this.stateDir, current.runId), 'run.json');
    const missing = () => new VersionConflictError(current.runId, current.version, undefined);
    return await this.exclusive(current.runId, missing, async () => {
      const stored = await readRecord(path);
      if (stored?.version !== current.version) {
        throw new VersionConflictError(current.runId, current.version, stored?.version);
      }
      const updated: RunRecord = {
        ...stored,
        ...next,
        runId: stored.runId,
        version: stored.version + 1,
        updatedAt: next.updatedAt ?? this.now(),
      };
      await replaceFile(path, encodeRecord(updated), { durable: true });
      return updated;
    });
  }

  async appendEvents(runId: string, afterSeq: number, events: readonly EngineEvent[]): Promise<number> {
    const path = join(runDir(this.stateDir, runId), 'events.jsonl');
    return await this.exclusive(
      runId,
      () => runNotFound(runId),
      () => appendEvents(path, runId, afterSeq, events),
    );
  }

  async readEvents(runId: string): Promise<StoredEvent[]> {
    return await readEvents(join(runDir(this.stateDir, runId), 'events.jsonl'));
  }

  async list(filter: { readonly status?: RunRecordStatus; readonly workflow?: string } = {}): Promise<RunRecord[]> {
    const records = await Promise.all((await this.runIds()).map((id) => this.getForList(id)));
    return records
      .filter((r): r is RunRecord => r !== undefined)
      .filter((r) => filter.status === undefined || r.status === filter.status)
      .filter((r) => filter.workflow === undefined || r.workflowName === filter.workflow)
      .sort((a, b) => b.createdAt - a.createdAt || (a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0));
  }

  /** One damaged run must not hide the others from `runs list`; `get` still reports it. */
  private async getForList(runId: string): Promise<RunRecord | undefined> {
    try {
      return await this.get(runId);
    } catch (error) {
      if (hasCode(error, 'state_corrupt')) return undefined;
      throw error;
    }
  }

  private async runIds(): Promise<string[]> {
    try {
      const entries = await readdir(runsDir(this.stateDir), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory() && isRunId(e.name)).map((e) => e.name);
    } catch (error) {
      if (hasCode(error, 'ENOENT')) return [];
      throw error;
    }
  }

  /**
   * One writer per run at a time: queued in this process, locked against
   * the others. A run that does not exist has no directory to lock in; that
   * is `missing()`, not an ENOENT.
   */
  private exclusive<T>(runId: string, missing: () => Error, work: () => Promise<T>): Promise<T> {
    const dir = runDir(this.stateDir, runId);
    return serialized(dir, async () => {
      try {
        return await withFileLock(join(dir, '.lock'), this.lockTimeoutMs, work);
      } catch (error) {
        if (hasCode(error, 'ENOENT') && !(await exists(dir))) throw missing();
        throw error;
      }
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
