import { TemplateRenderError, errorMessage } from '@flowline/core';
import { type CompiledStep, type CompiledTemplate, isTruthyText } from '@flowline/workflow';

import { type RenderSite, renderAt } from './render-context.js';
import type { StepError, WorkState } from './run-state.js';
import type { Transition } from './transition.js';

/** What the scheduler does to one step or item, shared by plain steps and fan-outs. */

/** Renders a template for the scheduler's own decisions; a failure becomes a non-retryable step error. */
export function render(t: Transition, template: CompiledTemplate, site: RenderSite): string | StepError {
  try {
    return renderAt(t.plan, t.snapshot(), template, site, t.runtime);
  } catch (error) {
    const code = error instanceof TemplateRenderError ? error.code : 'template_render_failed';
    return { code, message: errorMessage(error), retryable: false };
  }
}

/** A falsy `if` skips; one that fails to render fails the unit. Undefined when it should run. */
export function ifSaysSkip(t: Transition, step: CompiledStep, site: RenderSite): WorkState | undefined {
  if (step.if === undefined) return undefined;
  const rendered = render(t, step.if, { ...site, step });
  if (typeof rendered !== 'string') return { status: 'failed', attempt: 0, error: rendered, finishedAt: t.at };
  if (isTruthyText(rendered)) return undefined;
  return { status: 'skipped', attempt: 0, reason: 'its if was false', finishedAt: t.at };
}

/** Starts an attempt; an agent step first checks the run's budget. */
export function startAttempt(t: Transition, index: number, item: number | undefined, attempt: number): void {
  const step = t.compiled(index);
  const overBudget = step.type === 'claude_code' ? budgetExhausted(t) : undefined;
  if (overBudget !== undefined) {
    finishWork(t, index, item, { status: 'failed', attempt, error: overBudget, finishedAt: t.at });
    return;
  }
  const before = t.work(index, item)!;
  const startedAt = before.startedAt === undefined ? {} : { startedAt: before.startedAt };
  t.setWork(index, item, { status: 'running', attempt, ...startedAt });
  t.emit({ type: 'start_step', key: t.keyOf(index, item), attempt, timeoutMs: step.timeoutMs });
}

function budgetExhausted(t: Transition): StepError | undefined {
  const budget = t.plan.workflow.budget;
  if (budget === undefined) return undefined;
  const overCost = budget.maxCostUsd !== undefined && t.usage.costUsd >= budget.maxCostUsd;
  const overTokens = budget.maxTokens !== undefined && t.usage.tokens >= budget.maxTokens;
  if (!overCost && !overTokens) return undefined;
  const spent = overCost
    ? `$${t.usage.costUsd.toFixed(4)} of $${budget.maxCostUsd}`
    : `${t.usage.tokens} of ${budget.maxTokens} tokens`;
  return {
    code: 'budget_exhausted',
    message: `the run's budget is spent (${spent}); agent steps no longer start`,
    retryable: false,
  };
}

/** Records a unit's end. An item's end queues its step, which may start more items or finish. */
export function finishWork(t: Transition, index: number, item: number | undefined, work: WorkState): void {
  t.setWork(index, item, work);
  if (item !== undefined) t.fanOuts.push(index);
}

/** Ends a step that never ran an attempt of its own (skipped, upstream_failed, decided inline, fanned out). */
export function end(
  t: Transition,
  index: number,
  work: Omit<WorkState, 'attempt'> & { readonly attempt?: number },
): void {
  t.setWork(index, undefined, { attempt: 0, ...work, finishedAt: work.finishedAt ?? t.at });
}
