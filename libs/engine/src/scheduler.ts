import { assertNever } from '@flowline/core';
import { type CompiledStep, type CompiledWorkflow, isTruthyText } from '@flowline/workflow';

import { retryDelayMs, stableRandom } from './backoff.js';
import type { EngineCommand } from './commands.js';
import type { EngineEvent, StepOutcome } from './events.js';
import { dispatchItems, expandForEach } from './fan-out.js';
import { finishRunIfDone } from './finish-run.js';
import { planFor, stepIndex } from './plan.js';
import type { RenderRuntime } from './render-context.js';
import { resolveInputs } from './resolve-inputs.js';
import { type RunState, type StepState, isTerminal } from './run-state.js';
import { formatStepKey } from './step-key.js';
import { end, finishWork, ifSaysSkip, render, startAttempt } from './step-actions.js';
import { StepTable } from './step-table.js';
import { Transition } from './transition.js';
import { type NeedOutcome, judgeTriggerRule } from './trigger-rules.js';

/** A scheduler step: the next state and what the driver must do. */
export interface Decision {
  readonly state: RunState;
  readonly commands: readonly EngineCommand[];
}

export interface RunStart {
  readonly runId: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly at: number;
}

/**
 * Creates a run: inputs checked and defaulted (a ValidationError names every
 * problem), every step pending, and the steps that need nothing started.
 */
export function startRun(workflow: CompiledWorkflow, start: RunStart, runtime: RenderRuntime): Decision {
  const plan = planFor(workflow);
  const pending: StepState = { status: 'pending', attempt: 0 };
  const state: RunState = {
    runId: start.runId,
    workflowDigest: workflow.digest,
    status: 'running',
    inputs: resolveInputs(workflow, start.inputs),
    generation: 0,
    steps: StepTable.from(plan.steps.map(() => pending)),
    open: plan.steps.length,
    usage: { costUsd: 0, tokens: 0 },
    startedAt: start.at,
  };
  const t = new Transition(plan, state, runtime, start.at);
  plan.steps.forEach((_, i) => plan.parents[i]!.length === 0 && t.queue.push(i));
  settle(t);
  return t.result();
}

/**
 * The scheduler: (state, event) → (state', commands). Pure: no I/O, no clock,
 * no randomness it did not derive from its inputs, so the same events always
 * give the same state. An event about an attempt that is not the current one
 * (a duplicate delivery, a late report after a cancel) changes nothing.
 */
export function applyEvent(
  workflow: CompiledWorkflow,
  state: RunState,
  event: EngineEvent,
  runtime: RenderRuntime,
): Decision {
  if (state.workflowDigest !== workflow.digest) {
    throw new Error(`run ${state.runId} belongs to another version of workflow ${workflow.name}`);
  }
  if (state.status !== 'running' && event.type !== 'steps_reset') return { state, commands: [] };
  const t = new Transition(planFor(workflow), state, runtime, event.at);
  switch (event.type) {
    case 'step_started':
      onStarted(t, event.key.step, event.key.item, event.attempt);
      break;
    case 'step_finished':
      onFinished(t, event.key.step, event.key.item, event.attempt, event.outcome);
      break;
    case 'retry_due':
      onRetryDue(t, event.key.step, event.key.item, event.attempt);
      break;
    case 'run_cancelled':
      cancelRun(t, event.reason ?? 'cancelled');
      break;
    case 'steps_reset':
      resetSteps(t, event.steps, event.inputs);
      break;
    default:
      return assertNever(event, 'event');
  }
  settle(t);
  return t.result();
}

/**
 * Works through the consequences of an event until nothing more can change:
 * steps whose needs moved are judged, fan-outs whose items moved start more
 * items or finish. Then the run finishes if nothing is left open.
 */
function settle(t: Transition): void {
  // Read by position rather than shift(): a run starting 10,000 steps queues them all.
  let judged = 0;
  let dispatched = 0;
  while (judged < t.queue.length || dispatched < t.fanOuts.length) {
    if (judged < t.queue.length) judge(t, t.queue[judged++]!);
    else dispatchItems(t, t.fanOuts[dispatched++]!);
  }
  finishRunIfDone(t);
}

/** A pending step: skip it, fail it for its needs, or begin it, as its branch and trigger rule say. */
function judge(t: Transition, index: number): void {
  if (t.step(index).status !== 'pending') return;
  const step = t.compiled(index);
  for (const { conditional, branch } of step.branches) {
    const decider = t.step(stepIndex(t.plan, conditional));
    if (decider.status !== 'succeeded') continue; // a failed or skipped conditional is a need like any other
    if (decider.outputs?.['branch'] !== branch) {
      end(t, index, { status: 'skipped', reason: `${conditional} took the other branch` });
      return;
    }
  }
  const needs = t.plan.parents[index]!.map((parent) => needOutcome(t, parent));
  switch (judgeTriggerRule(step.triggerRule, needs)) {
    case 'wait':
      return;
    case 'skip':
      end(t, index, {
        status: 'skipped',
        reason: `trigger rule ${step.triggerRule}: a need was skipped or none failed`,
      });
      return;
    case 'upstream_failed':
      end(t, index, { status: 'upstream_failed', reason: `trigger rule ${step.triggerRule}: a need failed` });
      return;
    case 'run':
      begin(t, index);
      return;
  }
}

function needOutcome(t: Transition, index: number): NeedOutcome {
  const status = t.step(index).status;
  switch (status) {
    case 'pending':
    case 'running':
    case 'waiting_retry':
      return 'open';
    case 'succeeded':
      return 'succeeded';
    case 'skipped':
      return 'skipped';
    case 'failed':
      // continue_on_error: dependents run as if it had succeeded (and see status: failed).
      return t.compiled(index).continueOnError ? 'succeeded' : 'failed';
    case 'upstream_failed':
    case 'cancelled':
      return 'failed';
    default:
      return assertNever(status, 'step status');
  }
}

/** A step whose needs allow it: evaluate `if`, decide a conditional, fan out, or start its first attempt. */
function begin(t: Transition, index: number): void {
  const step = t.compiled(index);
  if (step.forEach !== undefined) {
    expandForEach(t, index);
    return;
  }
  const skip = ifSaysSkip(t, step, {});
  if (skip !== undefined) {
    end(t, index, skip);
    return;
  }
  if (step.type === 'conditional') {
    decideConditional(t, index, step);
    return;
  }
  startAttempt(t, index, undefined, 1);
}

/** Conditionals are decided here, not by an executor: rendering one template needs no I/O. */
function decideConditional(t: Transition, index: number, step: Extract<CompiledStep, { type: 'conditional' }>): void {
  const rendered = render(t, step.condition, { step, attempt: 1 });
  if (typeof rendered !== 'string') {
    end(t, index, { status: 'failed', attempt: 1, error: rendered, startedAt: t.at });
    return;
  }
  const result = isTruthyText(rendered);
  const outputs = { result, branch: result ? 'then' : 'else' };
  end(t, index, { status: 'succeeded', attempt: 1, outputs, startedAt: t.at });
}

function onStarted(t: Transition, id: string, item: number | undefined, attempt: number): void {
  const index = stepIndex(t.plan, id);
  const work = t.work(index, item);
  if (work?.status !== 'running' || work.attempt !== attempt || work.startedAt !== undefined) return;
  t.setWork(index, item, { ...work, startedAt: t.at });
}

function onFinished(t: Transition, id: string, item: number | undefined, attempt: number, outcome: StepOutcome): void {
  const index = stepIndex(t.plan, id);
  const work = t.work(index, item);
  if (work?.status !== 'running' || work.attempt !== attempt) return; // not the attempt in flight: recorded already
  if (outcome.usage !== undefined) {
    t.usage = { costUsd: t.usage.costUsd + outcome.usage.costUsd, tokens: t.usage.tokens + outcome.usage.tokens };
  }
  const startedAt = work.startedAt ?? t.at;
  if (outcome.ok) {
    const cache = outcome.cacheHit === undefined ? {} : { cacheHit: outcome.cacheHit };
    const changes = outcome.changes === undefined ? {} : { changes: outcome.changes };
    finishWork(t, index, item, {
      status: 'succeeded',
      attempt,
      outputs: outcome.outputs,
      startedAt,
      finishedAt: t.at,
      ...cache,
      ...changes,
    });
    return;
  }
  const retry = t.compiled(index).retry;
  if (outcome.error.retryable && attempt < retry.maxAttempts) {
    t.setWork(index, item, { status: 'waiting_retry', attempt, error: outcome.error, startedAt });
    const key = t.keyOf(index, item);
    const random = stableRandom(`${t.runId}/${formatStepKey(key)}/${attempt + 1}`);
    const backoff = retryDelayMs(retry, attempt + 1, random);
    // A server's Retry-After is a floor: retrying sooner would only be refused again.
    const delayMs = Math.max(backoff, outcome.error.retryAfterMs ?? 0);
    t.emit({ type: 'schedule_retry', key, attempt: attempt + 1, delayMs });
    return;
  }
  const outputs = outcome.outputs === undefined ? {} : { outputs: outcome.outputs };
  finishWork(t, index, item, {
    status: 'failed',
    attempt,
    error: outcome.error,
    startedAt,
    finishedAt: t.at,
    ...outputs,
  });
}

function onRetryDue(t: Transition, id: string, item: number | undefined, attempt: number): void {
  const index = stepIndex(t.plan, id);
  const work = t.work(index, item);
  if (work?.status !== 'waiting_retry' || work.attempt + 1 !== attempt) return;
  startAttempt(t, index, item, attempt);
}

/** Cancels everything not yet ended; running attempts are told to stop. The run ends cancelled. */
function cancelRun(t: Transition, reason: string): void {
  for (let index = 0; index < t.plan.steps.length; index++) {
    const step = t.step(index);
    if (step.items !== undefined) {
      for (let item = 0; item < step.items.length; item++) cancelWork(t, index, item, reason);
    }
    cancelWork(t, index, undefined, reason);
  }
  t.status = 'cancelled';
  t.finishedAt = t.at;
  t.error = { code: 'cancelled', message: reason, retryable: false };
  t.emit({ type: 'finish_run', status: 'cancelled', outputs: {}, error: t.error });
}

function cancelWork(t: Transition, index: number, item: number | undefined, reason: string): void {
  const work = t.work(index, item)!;
  if (isTerminal(work.status)) return;
  // A fan-out step runs nothing itself: its items are told to stop.
  const runsItself = item !== undefined || t.step(index).items === undefined;
  if (work.status === 'running' && runsItself)
    t.emit({ type: 'cancel_step', key: t.keyOf(index, item), attempt: work.attempt });
  t.setWork(index, item, { ...work, status: 'cancelled', reason, finishedAt: t.at });
}

/**
 * Puts steps back to pending (fresh attempts, no items, no outputs) and
 * reopens the run. A step still running is left alone: resetting it would
 * orphan its attempt. Reset steps are judged again in declaration order.
 */
function resetSteps(t: Transition, ids: readonly string[], inputs?: Readonly<Record<string, unknown>>): void {
  const reset = ids.map((id) => stepIndex(t.plan, id)).filter((i) => t.step(i).status !== 'running');
  if (reset.length === 0) return;
  t.generation += 1;
  if (inputs !== undefined) t.inputs = inputs;
  const pending: StepState = { status: 'pending', attempt: 0 };
  for (const index of reset) {
    if (isTerminal(t.step(index).status)) t.open += 1;
    t.steps = t.steps.set(index, pending);
  }
  t.status = 'running';
  t.outputs = undefined;
  t.error = undefined;
  t.finishedAt = undefined;
  t.queue.push(...reset.sort((a, b) => a - b));
}
