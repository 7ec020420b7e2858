import { formatDuration } from '@flowline/core';
import {
  type EngineEvent,
  type RunState,
  type StepState,
  type StepStatus,
  type StepTable,
  type WorkState,
  formatStepKey,
} from '@flowline/engine';
import type { CompiledWorkflow } from '@flowline/workflow';

import { type CliIo, painter } from '../cli-io.js';

const BAR_WIDTH = 20;

/**
 * Live progress for `flowline run`: a line per step as it starts and ends
 * (status, duration, attempts, cache hits). On a terminal a fan-out step
 * shows a progress bar that redraws in place; piped, every line is plain
 * text and bars become `done/total` lines, so logs stay readable.
 */
export class RunReporter {
  private readonly seen = new Map<string, StepStatus>();
  private readonly ids: readonly string[];
  /** The step table last reported: only steps whose state object changed since are looked at. */
  private previous: StepTable<StepState> | undefined;
  private readonly bars = new Map<string, number>();
  private barShown = false;
  private readonly paint;
  private readonly tty: boolean;

  constructor(
    private readonly workflow: CompiledWorkflow,
    private readonly io: CliIo,
  ) {
    this.ids = [...workflow.steps.keys()];
    this.paint = painter(io.stderr, io.env);
    this.tty = io.stderr.isTTY === true;
  }

  started(runId: string, resumed: boolean): void {
    this.line(`${resumed ? 'resuming' : 'run'} ${runId} — ${this.workflow.name}`);
  }

  /** Called after every event: reports each unit whose status moved since the last call. */
  update(_event: EngineEvent, state: RunState): void {
    const changed =
      this.previous === undefined ? state.steps.map((_, i) => i) : state.steps.changedSince(this.previous);
    this.previous = state.steps;
    for (const index of changed) {
      const id = this.ids[index]!;
      const step = state.steps.get(index);
      if (step.items !== undefined)
        this.fanOut(
          id,
          step.items.map((w) => w),
        );
      this.unit(id, step, step.items !== undefined);
    }
  }

  finished(state: RunState): void {
    const color = state.status === 'succeeded' ? this.paint.green : this.paint.red;
    const took = state.finishedAt === undefined ? '' : ` in ${formatDuration(state.finishedAt - state.startedAt)}`;
    this.line(`${color(state.status)}${took}${state.error === undefined ? '' : `: ${state.error.message}`}`);
  }

  private unit(key: string, work: WorkState, fanOut: boolean): void {
    if (this.seen.get(key) === work.status) return;
    this.seen.set(key, work.status);
    const text = this.describe(key, work, fanOut);
    if (text !== undefined) this.line(text);
  }

  private describe(key: string, work: WorkState, fanOut: boolean): string | undefined {
    const took =
      work.startedAt !== undefined && work.finishedAt !== undefined
        ? ` ${this.paint.dim(formatDuration(work.finishedAt - work.startedAt))}`
        : '';
    const attempts = work.attempt > 1 ? ` (attempt ${work.attempt})` : '';
    switch (work.status) {
      case 'pending':
        return undefined;
      case 'running':
        return fanOut ? undefined : `${this.paint.dim('▸')} ${key}${attempts}`;
      case 'waiting_retry':
        return `${this.paint.yellow('↻')} ${key} failed${attempts}: ${work.error?.message ?? ''} — will retry`;
      case 'succeeded':
        return `${this.paint.green('✓')} ${key}${took}${work.cacheHit === true ? ' (cached)' : ''}${attempts}`;
      case 'failed':
        return `${this.paint.red('✗')} ${key}${took}: ${work.error?.message ?? 'failed'}`;
      case 'skipped':
        return `${this.paint.dim('○')} ${key} skipped${work.reason === undefined ? '' : `: ${work.reason}`}`;
      case 'upstream_failed':
        return `${this.paint.dim('○')} ${key} not run: ${work.reason ?? 'a need failed'}`;
      case 'cancelled':
        return `${this.paint.dim('○')} ${key} cancelled`;
    }
  }

  private fanOut(id: string, items: readonly WorkState[]): void {
    const done = items.filter((w) =>
      ['succeeded', 'failed', 'skipped', 'upstream_failed', 'cancelled'].includes(w.status),
    ).length;
    if (this.bars.get(id) === done) return;
    this.bars.set(id, done);
    items.forEach((work, item) => {
      if (work.status === 'failed' || work.status === 'waiting_retry')
        this.unit(formatStepKey({ step: id, item }), work, false);
    });
    const filled = items.length === 0 ? BAR_WIDTH : Math.round((done / items.length) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    const text = `  ${id} ${bar} ${done}/${items.length}`;
    if (!this.tty) {
      this.line(`${id}: ${done}/${items.length} items done`);
      return;
    }
    this.io.stderr.write(`${this.barShown ? '\r\u001b[K' : ''}${text}`);
    this.barShown = true;
  }

  private line(text: string): void {
    this.io.stderr.write(`${this.barShown ? '\n' : ''}${text}\n`);
    this.barShown = false;
  }
}
