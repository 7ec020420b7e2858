import type { CompiledStep } from '@flowline/workflow';

import type { EngineCommand } from './commands.js';
import type { EnginePlan } from './plan.js';
import type { RenderRuntime } from './render-context.js';
import type { RunState, RunStatus, StepError, StepState, Usage, WorkState } from './run-state.js';
import { isTerminal } from './run-state.js';
import type { StepKey } from './step-key.js';
import type { StepTable } from './step-table.js';

/**
 * The working copy of one event's effects: step updates, commands, and the
 * queue of steps whose readiness may have changed. Only `Transition` writes;
 * `result()` freezes it into the next immutable RunState. Never shared
 * across events.
 */
export class Transition {
  steps: StepTable<StepState>;
  open: number;
  usage: Usage;
  status: RunStatus;
  outputs: Readonly<Record<string, string>> | undefined;
  error: StepError | undefined;
  finishedAt: number | undefined;
  generation: number;
  inputs: Readonly<Record<string, unknown>>;
  readonly commands: EngineCommand[] = [];
  /** Steps to judge again, in the order their reasons arose. */
  readonly queue: number[] = [];
  /** Fan-out steps whose items changed: they may start more items, or finish. */
  readonly fanOuts: number[] = [];

  constructor(
    readonly plan: EnginePlan,
    private readonly base: RunState,
    readonly runtime: RenderRuntime,
    /** The event's time: what "now" means for this transition. */
    readonly at: number,
  ) {
    this.steps = base.steps;
    this.open = base.open;
    this.usage = base.usage;
    this.status = base.status;
    this.outputs = base.outputs;
    this.error = base.error;
    this.finishedAt = base.finishedAt;
    this.generation = base.generation;
    this.inputs = base.inputs;
  }

  get runId(): string {
    return this.base.runId;
  }

  /** The state as it stands mid-transition, for rendering templates. */
  snapshot(): RunState {
    // Fields a retry clears must not come back from the base.
    const { outputs, error, finishedAt, ...base } = this.base;
    return {
      ...base,
      inputs: this.inputs,
      generation: this.generation,
      steps: this.steps,
      open: this.open,
      usage: this.usage,
      status: this.status,
      ...(this.outputs === undefined ? {} : { outputs: this.outputs }),
      ...(this.error === undefined ? {} : { error: this.error }),
      ...(this.finishedAt === undefined ? {} : { finishedAt: this.finishedAt }),
    };
  }

  result(): { state: RunState; commands: EngineCommand[] } {
    return { state: this.snapshot(), commands: this.commands };
  }

  compiled(index: number): CompiledStep {
    return this.plan.steps[index]!;
  }

  step(index: number): StepState {
    return this.steps.get(index);
  }

  setStep(index: number, state: StepState): void {
    const before = this.steps.get(index);
    this.steps = this.steps.set(index, state);
    if (!isTerminal(before.status) && isTerminal(state.status)) {
      this.open -= 1;
      for (const child of this.plan.children[index]!) this.queue.push(child);
    }
  }

  /** The state of one unit of work: a step, or one item of it. */
  work(index: number, item: number | undefined): WorkState | undefined {
    const step = this.steps.get(index);
    if (item === undefined) return step;
    return step.items !== undefined && item < step.items.length ? step.items.get(item) : undefined;
  }

  /** Replaces a unit's state whole (a retried attempt's old error must not linger), keeping a step's items. */
  setWork(index: number, item: number | undefined, work: WorkState): void {
    if (item === undefined) {
      const { items, itemValues } = this.steps.get(index);
      this.setStep(index, { ...work, ...(items && { items }), ...(itemValues && { itemValues }) });
      return;
    }
    const step = this.steps.get(index);
    this.steps = this.steps.set(index, { ...step, items: step.items!.set(item, work) });
  }

  emit(command: EngineCommand): void {
    this.commands.push(command);
  }

  keyOf(index: number, item: number | undefined): StepKey {
    const step = this.compiled(index).id;
    return item === undefined ? { step } : { step, item };
  }
}
