import type { WorkState } from './run-state.js';
import { end, ifSaysSkip, render, startAttempt } from './step-actions.js';
import { StepTable } from './step-table.js';
import type { Transition } from './transition.js';
import { isTerminal } from './run-state.js';

/**
 * `for_each`: when the step may run, its items are rendered (a template must
 * give a JSON array), each becomes a unit of work `id[i]` with `item` and
 * `index` in its context, at most `max_parallel` run at once, and the step
 * ends when every item has: failed if any item failed.
 */
export function expandForEach(t: Transition, index: number): void {
  const forEach = t.compiled(index).forEach!;
  let values: readonly unknown[];
  if (forEach.kind === 'list') {
    values = forEach.items;
  } else {
    const rendered = render(t, forEach.items, { step: t.compiled(index) });
    if (typeof rendered !== 'string') {
      end(t, index, { status: 'failed', error: rendered });
      return;
    }
    const parsed = parseJsonArray(rendered);
    if (typeof parsed === 'string') {
      end(t, index, { status: 'failed', error: { code: 'for_each_not_array', message: parsed, retryable: false } });
      return;
    }
    values = parsed;
  }
  const pending: WorkState = { status: 'pending', attempt: 0 };
  t.setStep(index, {
    status: 'running',
    attempt: 0,
    startedAt: t.at,
    items: StepTable.from(values.map(() => pending)),
    itemValues: values,
  });
  t.fanOuts.push(index);
}

/** Starts pending items while fewer than max_parallel run; ends the step when all items have ended. */
export function dispatchItems(t: Transition, index: number): void {
  const step = t.step(index);
  if (step.status !== 'running' || step.items === undefined) return;
  const limit = t.compiled(index).forEach?.maxParallel ?? Infinity;
  let active = 0;
  let ended = 0;
  for (let item = 0; item < step.items.length; item++) {
    const status = step.items.get(item).status;
    if (status === 'running' || status === 'waiting_retry') active += 1;
    else if (isTerminal(status)) ended += 1;
  }
  for (let item = 0; item < step.items.length && active < limit; item++) {
    if (t.step(index).items!.get(item).status !== 'pending') continue;
    const site = { item: { index: item, value: step.itemValues![item] } };
    const skip = ifSaysSkip(t, t.compiled(index), site);
    if (skip !== undefined) {
      t.setWork(index, item, skip);
      ended += 1;
      continue;
    }
    startAttempt(t, index, item, 1);
    if (t.step(index).items!.get(item).status === 'running') active += 1;
    else ended += 1;
  }
  if (ended === step.items.length) finishFanOut(t, index);
}

function finishFanOut(t: Transition, index: number): void {
  const items = t.step(index).items!;
  for (let item = 0; item < items.length; item++) {
    const work = items.get(item);
    if (work.status === 'failed' || work.status === 'upstream_failed' || work.status === 'cancelled') {
      const error = {
        code: 'item_failed',
        message: `item ${item} failed: ${work.error?.message ?? work.status}`,
        retryable: false,
      };
      end(t, index, { status: 'failed', error, startedAt: t.step(index).startedAt ?? t.at });
      return;
    }
  }
  end(t, index, { status: 'succeeded', startedAt: t.step(index).startedAt ?? t.at });
}

function parseJsonArray(text: string): unknown[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `for_each must render a JSON array, got ${JSON.stringify(text.slice(0, 80))}`;
  }
  return Array.isArray(value) ? value : `for_each must render a JSON array, got ${typeof value}`;
}
