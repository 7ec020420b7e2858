import { formatStepKey } from '@flowline/engine';
import type { RunStateStore, StoredEvent } from '@flowline/ports';

import { BENCH_NEEDS } from './bench-workflow.js';

/** What the runs' event logs say, counted and timed. */
export interface RunTimings {
  /** Steps with exactly one step_started and one step_finished, both of attempt 1. */
  readonly stepsOnce: number;
  /** Anything else: a step missing, recorded twice, or run again. Zero when nothing was lost or duplicated. */
  readonly anomalies: readonly string[];
  /**
   * Per step with dependencies: its step_started.at minus the latest
   * step_finished.at of what it needs, in ms.
   */
  readonly overheadMs: readonly number[];
  /** Per step: step_finished.at minus step_started.at, in ms (the worker's side of a step). */
  readonly stepMs: readonly number[];
  /** The same steps as `overheadMs`, with the two times it is the difference of. */
  readonly hops: readonly Hop[];
}

/** A step that had dependencies: when the last of them finished, and when it started. */
export interface Hop {
  readonly runId: string;
  readonly step: string;
  readonly readyAt: number;
  readonly startedAt: number;
}

type Totals = { stepsOnce: number; anomalies: string[]; overheadMs: number[]; stepMs: number[]; hops: Hop[] };

/** Reads every run's log (`parallel` at a time) and counts and times its steps. */
export async function runTimings(runs: RunStateStore, runIds: readonly string[], parallel = 32): Promise<RunTimings> {
  const total: Totals = { stepsOnce: 0, anomalies: [], overheadMs: [], stepMs: [], hops: [] };
  for (let first = 0; first < runIds.length; first += parallel) {
    const slice = runIds.slice(first, first + parallel);
    const logs = await Promise.all(slice.map((runId) => runs.readEvents(runId)));
    slice.forEach((runId, i) => addRun(total, runId, logs[i]!));
  }
  return total;
}

function addRun(total: Totals, runId: string, log: readonly StoredEvent[]): void {
  const started = new Map<string, number[]>();
  const finished = new Map<string, number[]>();
  for (const { event } of log) {
    if (event.type !== 'step_started' && event.type !== 'step_finished') continue;
    const key = `${formatStepKey(event.key)}#${event.attempt}`;
    const into = event.type === 'step_started' ? started : finished;
    into.set(key, [...(into.get(key) ?? []), event.at]);
  }
  for (const [step, needs] of Object.entries(BENCH_NEEDS)) {
    const start = started.get(`${step}#1`);
    const end = finished.get(`${step}#1`);
    if (start?.length !== 1 || end?.length !== 1) {
      total.anomalies.push(`${runId} ${step}: started ${start?.length ?? 0}×, finished ${end?.length ?? 0}×`);
      continue;
    }
    total.stepsOnce += 1;
    total.stepMs.push(end[0]! - start[0]!);
    if (needs.length === 0) continue;
    const ready = Math.max(...needs.map((need) => finished.get(`${need}#1`)?.[0] ?? Number.NaN));
    if (Number.isNaN(ready)) continue;
    total.overheadMs.push(start[0]! - ready);
    total.hops.push({ runId, step, readyAt: ready, startedAt: start[0]! });
  }
  const extra = [...started.keys()].filter((key) => !key.endsWith('#1'));
  for (const key of extra) total.anomalies.push(`${runId} ${key}: a second attempt`);
}

/** The value at quantile `q` (0..1) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
