import type { CompiledWorkflow } from '@flowline/workflow';

import type { EngineCommand } from './commands.js';
import type { EngineEvent } from './events.js';
import type { RenderRuntime } from './render-context.js';
import { type RunStart, applyEvent, startRun } from './scheduler.js';
import { planFor, stepIndex } from './plan.js';
import type { RunState, WorkState } from './run-state.js';
import type { StepKey } from './step-key.js';

/**
 * What a driver must do to carry on a run whose process died: every attempt
 * that was running starts again (the same attempt: it never reported, so
 * its record is still open), and every retry that was waiting is due now.
 * Re-running an attempt is how "at least once" works; the scheduler ignores
 * a second report for the same attempt, so the record stays exactly once.
 */
export function resumeCommands(workflow: CompiledWorkflow, state: RunState): EngineCommand[] {
  if (state.status !== 'running') return [];
  const plan = planFor(workflow);
  const commands: EngineCommand[] = [];
  const visit = (key: StepKey, work: WorkState, timeoutMs: number) => {
    if (work.status === 'running') commands.push({ type: 'start_step', key, attempt: work.attempt, timeoutMs });
    if (work.status === 'waiting_retry')
      commands.push({ type: 'schedule_retry', key, attempt: work.attempt + 1, delayMs: 0 });
  };
  plan.steps.forEach((step, index) => {
    const state_ = state.steps.get(index);
    if (state_.items === undefined) {
      visit({ step: step.id }, state_, step.timeoutMs);
      return;
    }
    state_.items.map((work, item) => visit({ step: step.id, item }, work, step.timeoutMs));
  });
  return commands;
}

/**
 * The steps `flowline retry` runs again: the given step, or else every step
 * that failed or was cancelled, together with everything downstream of them
 * (their dependents ended because of them, so they must be judged again).
 * Every other step keeps its outputs. In declaration order.
 */
export function stepsToRetry(workflow: CompiledWorkflow, state: RunState, from?: string): string[] {
  const plan = planFor(workflow);
  const roots =
    from === undefined
      ? plan.steps.filter((_, i) => ['failed', 'cancelled'].includes(state.steps.get(i).status)).map((s) => s.id)
      : [plan.steps[stepIndex(plan, from)]!.id];
  const chosen = new Set<string>();
  for (const root of roots) {
    chosen.add(root);
    for (const id of workflow.dag.descendants(root)) chosen.add(id);
  }
  return plan.steps.filter((s) => chosen.has(s.id)).map((s) => s.id);
}

/**
 * The state a run's event log replays to: the run as `startRun` made it,
 * then every event in order. Deterministic, so any process holding the log
 * holds the state.
 */
export function replayRun(
  workflow: CompiledWorkflow,
  start: RunStart,
  events: Iterable<EngineEvent>,
  runtime: RenderRuntime,
): RunState {
  let state = startRun(workflow, start, runtime).state;
  for (const event of events) state = applyEvent(workflow, state, event, runtime).state;
  return state;
}
