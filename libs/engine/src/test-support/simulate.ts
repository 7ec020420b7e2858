import { type CompiledWorkflow, loadWorkflow } from '@flowline/workflow';

import type { EngineCommand } from '../commands.js';
import type { EngineEvent, StepOutcome } from '../events.js';
import type { RenderRuntime } from '../render-context.js';
import type { RunState } from '../run-state.js';
import { applyEvent, startRun } from '../scheduler.js';
import { type StepKey, formatStepKey } from '../step-key.js';

export function workflow(yaml: string): CompiledWorkflow {
  const result = loadWorkflow(yaml, { file: 'test.yaml' });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return result.workflow;
}

/** How a scripted executor answers an attempt: by key (`build`, `each[2]`) and attempt. */
export type Script = (key: string, attempt: number) => StepOutcome;

export const succeed = (outputs: Record<string, unknown> = {}): StepOutcome => ({ ok: true, outputs });
export const fail = (message = 'exit code 1', retryable = true): StepOutcome => ({
  ok: false,
  error: { code: 'exit_code', message, retryable },
});

export interface Simulation {
  readonly state: RunState;
  /** Every command, in order, with the simulated time it was issued. */
  readonly log: readonly (EngineCommand & { readonly time: number })[];
  /** Start commands as `key#attempt`. */
  readonly starts: readonly string[];
  readonly events: readonly EngineEvent[];
}

/**
 * A deterministic driver for the pure scheduler: it carries out commands in
 * order — a start runs the step through `script` and reports started and
 * finished one millisecond apart; a retry delay advances the clock — and
 * feeds the resulting events back, until the run ends. The same contract the
 * local and cluster drivers keep, without processes or queues.
 */
export function simulate(
  wf: CompiledWorkflow,
  script: Script = () => succeed(),
  options: { inputs?: Record<string, unknown>; runtime?: RenderRuntime; maxEvents?: number } = {},
): Simulation {
  const runtime = options.runtime ?? { secrets: {} };
  let time = 1_000;
  const log: (EngineCommand & { time: number })[] = [];
  const starts: string[] = [];
  const events: EngineEvent[] = [];
  const first = startRun(wf, { runId: 'run-1', inputs: options.inputs ?? {}, at: time }, runtime);
  let state = first.state;
  const pending: EngineCommand[] = [...first.commands];
  const deliver = (event: EngineEvent) => {
    events.push(event);
    const decision = applyEvent(wf, state, event, runtime);
    state = decision.state;
    pending.push(...decision.commands);
  };
  while (pending.length > 0) {
    if (events.length > (options.maxEvents ?? 100_000)) throw new Error('simulation did not end');
    const command = pending.shift()!;
    log.push({ ...command, time });
    switch (command.type) {
      case 'start_step': {
        const key = formatStepKey(command.key);
        starts.push(`${key}#${command.attempt}`);
        time += 1;
        deliver({ type: 'step_started', key: command.key, attempt: command.attempt, at: time });
        time += 1;
        deliver({
          type: 'step_finished',
          key: command.key,
          attempt: command.attempt,
          at: time,
          outcome: script(key, command.attempt),
        });
        break;
      }
      case 'schedule_retry':
        time += command.delayMs;
        deliver({ type: 'retry_due', key: command.key, attempt: command.attempt, at: time });
        break;
      case 'cancel_step':
      case 'finish_run':
        break;
    }
  }
  return { state, log, starts, events };
}

/** A step's (or item's) final status by key. */
export function statusOf(state: RunState, wf: CompiledWorkflow, key: StepKey | string): string {
  const k = typeof key === 'string' ? { step: key } : key;
  const index = [...wf.steps.keys()].indexOf(k.step);
  const step = state.steps.get(index);
  return k.item === undefined ? step.status : step.items!.get(k.item).status;
}

export function statuses(state: RunState, wf: CompiledWorkflow): Record<string, string> {
  return Object.fromEntries([...wf.steps.keys()].map((id, i) => [id, state.steps.get(i).status]));
}
