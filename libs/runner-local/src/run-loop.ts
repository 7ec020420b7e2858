import { type SecretMasker, TemplateRenderError, errorMessage } from '@flowline/core';
import {
  type EngineCommand,
  type EngineEvent,
  type RenderRuntime,
  type RunState,
  type StepKey,
  type StepOutcome,
  applyEvent,
  formatStepKey,
  renderStep,
} from '@flowline/engine';
import type { ExecutedStepType } from '@flowline/executors';
import type { RunRecord } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';

import { AttemptDirectories } from './attempt-dirs.js';
import { runAttempt } from './attempt.js';
import { EventJournal } from './event-journal.js';
import { LogWriter } from './log-writer.js';
import type { RunnerDeps } from './runner-deps.js';
import { workspaceConflict } from './workspace-conflicts.js';
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
    const done = this.attempt(command, controller.signal)
      .catch((error: unknown): StepOutcome => internalFailure(error))
      .then((outcome) => {
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

  private async attempt(command: StartCommand, signal: AbortSignal): Promise<StepOutcome> {
    const { workflow } = this.options;
    const step = workflow.steps.get(command.key.step)!;
    const conflict = workspaceConflict(workflow, this.state, step.id);
    if (conflict !== undefined) return { ok: false, error: conflict };
    const rendered = this.render(command.key, command.attempt, command.timeoutMs);
    if ('ok' in rendered) return rendered;
    const log = this.logWriter(command.key, command.attempt);
    try {
      return await runAttempt(this.deps, {
        runId: this.state.runId,
        step,
        rendered: rendered as typeof rendered & { type: ExecutedStepType },
        workspace: this.options.record.workspace,
        exclude: this.options.exclude,
        secrets: this.options.secrets,
        signal,
        log,
        masker: this.options.masker,
        lock: this.lock,
        dirs: await (this.dirs ??= AttemptDirectories.create(this.deps.tempDir)),
      });
    } finally {
      await log.close();
    }
  }

  private render(key: StepKey, attempt: number, timeoutMs: number) {
    try {
      return renderStep(this.options.workflow, this.state, key, attempt, timeoutMs, this.runtime);
    } catch (error) {
      const code = error instanceof TemplateRenderError ? error.code : 'template_render_failed';
      const message = this.options.masker.text(errorMessage(error));
      return { ok: false as const, error: { code, message, retryable: false } };
    }
  }

  private logWriter(key: StepKey, attempt: number): LogWriter {
    const id = formatStepKey(key);
    const echo = this.options.onLog === undefined ? undefined : (text: string) => this.options.onLog!(id, text);
    return new LogWriter(this.deps.logs, this.state.runId, id, attempt, this.options.masker, echo);
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

/** A bug or an I/O failure in the driver itself, reported as the attempt's failure rather than lost. */
function internalFailure(error: unknown): StepOutcome {
  return { ok: false, error: { code: 'internal_error', message: errorMessage(error), retryable: true } };
}
