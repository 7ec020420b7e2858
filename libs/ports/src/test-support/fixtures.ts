import { createHash } from 'node:crypto';

import type { EngineEvent } from '@flowline/engine';

import type { DeadLetter } from '../dead-letter-store.js';

import type { RunRecord } from '../run-store.js';
import type { CacheEntry } from '../step-cache.js';

/** Makes a store (or cache) for one test: every test gets a fresh, empty one. */
export type Factory<T> = () => T | Promise<T>;

let counter = 0;

/** A run id no other test uses, so adapters backed by a shared table need no cleanup between tests. */
export function uniqueRunId(prefix = 'run'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export function newRun(overrides: Partial<Omit<RunRecord, 'version'>> = {}): Omit<RunRecord, 'version'> {
  return {
    runId: uniqueRunId(),
    workflowName: 'increase-test-coverage',
    workflowFile: '/repo/.flowline/coverage.yaml',
    workflowDigest: 'ab'.repeat(32),
    workspace: '/repo',
    inputs: { target: 80, repo: 'acme/app' },
    status: 'running',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export function started(step: string, attempt = 1, item?: number): EngineEvent {
  return { type: 'step_started', key: item === undefined ? { step } : { step, item }, attempt, at: 1000 + attempt };
}

export function finished(step: string, outputs: Record<string, unknown> = {}): EngineEvent {
  return { type: 'step_finished', key: { step }, attempt: 1, at: 2000, outcome: { ok: true, outputs } };
}

/** A hex key like the driver's SHA-256 cache keys. */
export function cacheKey(seed: string): string {
  let hex = '';
  for (const char of seed.padEnd(32, '.')) hex += char.charCodeAt(0).toString(16).padStart(2, '0');
  return hex.slice(0, 64).padEnd(64, '0');
}

export function cacheEntry(key: string, overrides: Partial<CacheEntry> = {}): CacheEntry {
  return {
    key,
    stepType: 'shell',
    outputs: {
      exit_code: 0,
      stdout: 'ok\n',
      total: { lines: { pct: 83.4 } },
      files: ['a.ts', 'b.ts'],
      note: 'héllo ✓',
    },
    changes: {
      entries: [
        { kind: 'dir', path: 'coverage', mode: 0o755 },
        { kind: 'file', path: 'coverage/summary.json', digest: 'cd'.repeat(32), size: 120, mode: 0o644 },
        { kind: 'symlink', path: 'latest', target: 'coverage' },
        { kind: 'delete', path: 'old.txt' },
      ],
    },
    createdAt: 1_000,
    expiresAt: 10_000,
    ...overrides,
  };
}

/** A dead letter's id as the port defines it: `dl-` and 20 hex digits of SHA-256(runId|stepKey|attempt). */
export function deadLetterId(runId: string, stepKey: string, attempt: number): string {
  return `dl-${createHash('sha256').update(`${runId}|${stepKey}|${attempt}`).digest('hex').slice(0, 20)}`;
}

/** A letter for a fresh run (unless `runId` is given), with every optional field set. */
export function deadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  const runId = overrides.runId ?? uniqueRunId();
  const stepKey = overrides.stepKey ?? 'build';
  const attempts = overrides.attempts ?? 3;
  return {
    id: deadLetterId(runId, stepKey, attempts),
    runId,
    workflowName: 'increase-test-coverage',
    stepKey,
    stepType: 'shell',
    attempts,
    error: { code: 'exit_code', message: 'command exited with 2', retryable: true },
    exitCode: 2,
    fingerprint: 'fe'.repeat(32),
    inputs: { run: 'npm test', env: { CI: 'true' }, timeout_ms: 600_000 },
    logTail: 'FAIL src/a.test.ts\n  expected 1, received 2\n',
    worker: 'worker-7',
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}
