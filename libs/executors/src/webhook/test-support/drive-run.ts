import {
  type EngineCommand,
  type EngineEvent,
  type RenderedStep,
  type RunState,
  type StepOutcome,
  applyEvent,
  renderStep,
  startRun,
} from '@flowline/engine';
import { type CompiledWorkflow, loadWorkflow } from '@flowline/workflow';

export function compile(yaml: string): CompiledWorkflow {
  const result = loadWorkflow(yaml, { file: 'test.yaml' });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return result.workflow;
}

export interface DrivenRun {
  readonly state: RunState;
  /** Every command the scheduler issued, in order. */
  readonly commands: readonly EngineCommand[];
  /** Every outcome an executor reported, in order. */
  readonly outcomes: readonly StepOutcome[];
}

/**
 * Runs `wf` to the end through the real scheduler, each started step
 * rendered and handed to `execute` (a real executor), as the local driver
 * will. A retry delay advances a simulated clock instead of waiting.
 */
export async function driveRun(
  wf: CompiledWorkflow,
  execute: (step: RenderedStep) => Promise<StepOutcome>,
): Promise<DrivenRun> {
  const runtime = { secrets: {} };
  let time = 1_000;
  const first = startRun(wf, { runId: 'run-1', inputs: {}, at: time }, runtime);
  let state = first.state;
  const pending = [...first.commands];
  const commands: EngineCommand[] = [];
  const outcomes: StepOutcome[] = [];
  const deliver = (event: EngineEvent) => {
    const decision = applyEvent(wf, state, event, runtime);
    state = decision.state;
    pending.push(...decision.commands);
  };
  for (let command = pending.shift(); command !== undefined; command = pending.shift()) {
    commands.push(command);
    if (command.type === 'start_step') {
      const { key, attempt } = command;
      deliver({ type: 'step_started', key, attempt, at: (time += 1) });
      const outcome = await execute(renderStep(wf, state, key, attempt, command.timeoutMs, runtime));
      outcomes.push(outcome);
      deliver({ type: 'step_finished', key, attempt, at: (time += 1), outcome });
    } else if (command.type === 'schedule_retry') {
      time += command.delayMs;
      deliver({ type: 'retry_due', key: command.key, attempt: command.attempt, at: time });
    }
  }
  return { state, commands, outcomes };
}
