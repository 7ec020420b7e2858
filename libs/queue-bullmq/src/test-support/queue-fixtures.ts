import { randomUUID } from 'node:crypto';

import type { StepJob, StepReport } from '@flowline/ports';

import type { QueueLog, QueueLogEntry } from '../queue-log.js';

/** A prefix of its own per test (and its own hash tag), so tests sharing one Redis never see each other's jobs. */
export function uniquePrefix(): string {
  return `{t-${randomUUID().slice(0, 8)}}`;
}

export function stepJob(overrides: Partial<StepJob> = {}): StepJob {
  return {
    runId: 'run-1',
    workflowDigest: 'sha256-abc',
    key: { step: 'build' },
    attempt: 1,
    generation: 0,
    stepType: 'shell',
    timeoutMs: 60_000,
    priority: 5,
    ...overrides,
  };
}

export function succeeded(job: StepJob, worker = 'w1'): StepReport {
  return { job, startedAt: 1_000, finishedAt: 2_000, outcome: { ok: true, outputs: { exit_code: 0 } }, worker };
}

/** A log that keeps entries for assertions instead of writing to stderr. */
export function collectingLog(): { readonly log: QueueLog; readonly entries: QueueLogEntry[] } {
  const entries: QueueLogEntry[] = [];
  return { log: (entry) => entries.push(entry), entries };
}

/** Values arriving from callbacks, awaited one at a time in arrival order. */
export class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];
  /** Everything pushed so far, taken or not. */
  readonly seen: T[] = [];

  push(item: T): void {
    this.seen.push(item);
    const waiter = this.waiters.shift();
    if (waiter === undefined) this.items.push(item);
    else waiter(item);
  }

  next(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async take(count: number): Promise<T[]> {
    const taken: T[] = [];
    for (let i = 0; i < count; i++) taken.push(await this.next());
    return taken;
  }
}

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves when `signal` aborts, with its reason. */
export function aborted(signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.resolve(signal.reason);
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}
