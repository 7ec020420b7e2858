import type { SecretMasker } from '@flowline/core';
import {
  type EngineCommand,
  type EngineEvent,
  type RenderRuntime,
  type RunState,
  type StepOutcome,
  applyEvent,
  formatStepKey,
} from '@flowline/engine';
import type { RunRecord } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';

import { AttemptDirectories } from './attempt-dirs.js';
import { EventJournal } from './event-journal.js';
import type { RunnerDeps } from './runner-deps.js';
import { attemptStep } from './step-attempt.js';
import { WorkspaceLock } from './workspace-lock.js';

export interface RunLoopOptions {
  readonly workflow: CompiledWorkflow;
  readonly record: RunRecord;
  readonly state: RunState;
  /** The last stored event's sequence number. */
  readonly seq: number;
  readonly parallel: number;
  readonly secrets: Readonly<Record<string, string>>;
  readonly masker: SecretMasker;
  readonly exclude: readonly string[];
  readonly onEvent?: (event: EngineEvent, state: RunState) => void;
  readonly onLog?: (key: string, text: string) => void;
  /** Aborting it cancels the run (Ctrl-C). */
  readonly signal?: AbortSignal;
}

type StartCommand = Extract<EngineCommand, { type: 'start_step' }>;

/**
 * The local driver: carries out the scheduler's commands in this process —
 * at most `parallel` attempts at once, retry delays as timers, cancels as
 * aborts — and feeds back what happened as events. Every event is masked,
 * applied, and appended to the run's event log in order; the log is the
 * run's state. It decides nothing: the scheduler does.
 */
export class RunLoop {
  private state: RunState;
  private readonly journal: EventJournal;
  private readonly waiting: StartCommand[] = [];
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly lock = new WorkspaceLock();
  private dirs: Promise<AttemptDirectories> | undefined;
  private readonly runtime: RenderRuntime;
  private finished: ((record: RunRecord) => void) | undefined;
  private failed: ((error: unknown) => void) | undefined;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly options: RunLoopOptions,
  ) {
    this.state = options.state;
    this.runtime = { secrets: options.secrets };
    this.journal = new EventJournal(deps.runs, options.record.runId, options.seq);
  }

  get currentState(): RunState {
    return this.state;
  }

  /** Runs until the scheduler finishes the run; resolves with the final record. */
  run(commands: readonly EngineCommand[]): Promise<RunRecord> {
    const done = new Promise<RunRecord>((resolve, reject) => {
      this.finished = resolve;
      this.failed = reject;
    });
    const onAbort = () => this.deliver({ type: 'run_cancelled', at: this.deps.clock(), reason: 'interrupted' });
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    this.execute(commands);
    return done.finally(() => this.options.signal?.removeEventListener('abort', onAbort));
  }

  private deliver(event: EngineEvent): void {
    const masked = this.options.masker.value(event);
    try {
      const decision = applyEvent(this.options.workflow, this.state, masked, this.runtime);
      this.state = decision.state;
      this.journal.append(masked);
      this.options.onEvent?.(masked, this.state);
      this.execute(decision.commands);
    } catch (error) {
      this.failed?.(error);
    }
  }

  private execute(commands: readonly EngineCommand[]): void {
    for (const command of commands) {
      switch (command.type) {
        case 'start_step':
          this.waiting.push(command);
          break;
        case 'schedule_retry':
          this.later(command.delayMs, () =>
            this.deliver({ type: 'retry_due', key: command.key, attempt: command.attempt, at: this.deps.clock() }),
          );
          break;
        case 'cancel_step':
          this.running.get(formatStepKey(command.key))?.controller.abort('cancelled');
          break;
        case 'finish_run':
          void this.finish(command).catch((error: unknown) => this.failed?.(error));
          return;
      }
    }
    this.startWaiting();
  }

  private startWaiting(): void {
    while (this.running.size < this.options.parallel && this.waiting.length > 0) this.launch(this.waiting.shift()!);
  }

  private launch(command: StartCommand): void {
    const id = formatStepKey(command.key);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort('timeout'), command.timeoutMs);
    this.deliver({ type: 'step_started', key: command.key, attempt: command.attempt, at: this.deps.clock() });
    const done = this.attempt(command, controller.signal).then((outcome) => {
      clearTimeout(timeout);
      this.running.delete(id);
      this.deliver({
        type: 'step_finished',
        key: command.key,
        attempt: command.attempt,
        at: this.deps.clock(),
        outcome,
      });
      this.startWaiting();
    });
    this.running.set(id, { controller, done });
  }

  private attempt(command: StartCommand, signal: AbortSignal): Promise<StepOutcome> {
    const id = formatStepKey(command.key);
    const { workflow, exclude, secrets, masker, onLog } = this.options;
    return attemptStep(this.deps, {
      workflow,
      exclude,
      secrets,
      masker,
      state: this.state,
      key: command.key,
      attempt: command.attempt,
      timeoutMs: command.timeoutMs,
      workspace: () => Promise.resolve(this.options.record.workspace),
      signal,
      lock: this.lock,
      dirs: () => (this.dirs ??= AttemptDirectories.create(this.deps.tempDir)),
      ...(onLog === undefined ? {} : { echo: (text: string) => onLog(id, text) }),
    });
  }

  private later(delayMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }

  /** The run is over: wait for cancelled attempts to stop, store every event, then the final record. */
  private async finish(command: Extract<EngineCommand, { type: 'finish_run' }>): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.waiting.length = 0;
    await Promise.all([...this.running.values()].map((r) => r.done));
    await this.journal.flush();
    await (await this.dirs)?.remove();
    const record = await this.deps.runs.update(this.options.record, {
      status: command.status,
      outputs: command.outputs,
      ...(command.error === undefined ? {} : { error: command.error }),
      finishedAt: this.state.finishedAt ?? this.deps.clock(),
      updatedAt: this.deps.clock(),
    });
    this.finished?.(record);
  }
}
