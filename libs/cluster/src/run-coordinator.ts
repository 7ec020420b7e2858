import {
  type EngineCommand,
  type EngineEvent,
  type RunState,
  type StepKey,
  applyEvent,
  formatStepKey,
  resumeCommands,
  startRun,
} from '@flowline/engine';
import {
  type RunRecord,
  type RunStateStore,
  type StepDispatcher,
  type StepJob,
  type StepReport,
  VersionConflictError,
} from '@flowline/ports';
import type { WorkflowBundle } from '@flowline/workflow';

import { type RunView, isCurrentAttempt, loadRun, unitOf } from './run-view.js';
import type { WorkflowStore } from './workflow-store.js';

export interface CoordinatorDeps {
  readonly runs: RunStateStore;
  readonly workflows: WorkflowStore;
  readonly dispatcher: StepDispatcher;
  readonly clock: () => number;
  /** Declared secrets' values, for templates the scheduler renders itself (`if`, conditions, outputs). */
  readonly secrets: Readonly<Record<string, string>>;
}

/** Transitions retried after losing a race with another coordinator before giving up (the report is redelivered). */
const MAX_CONFLICTS = 8;

/**
 * The cluster's driver: applies workers' reports to runs and dispatches
 * what became ready. Several coordinators may run at once: a transition is
 * recorded by appending its events after the seq it was computed from, a
 * conditional write, so only one coordinator's version of a transition
 * lands; the loser reloads and finds the report already applied. Dispatch
 * is idempotent (job ids are the attempt's identity), so repeating it after
 * a crash is safe.
 */
export class RunCoordinator {
  /**
   * Running runs as this coordinator last wrote them, so a report costs one
   * conditional append rather than a replay of the whole log. Safe with
   * several coordinators: a view that is behind fails its append (the seq
   * moved) and is reloaded.
   */
  private readonly views = new Map<string, RunView>();

  constructor(private readonly deps: CoordinatorDeps) {}

  /** Starts consuming reports. */
  start(): void {
    this.deps.dispatcher.consumeReports((report) => this.handleReport(report));
  }

  /** Stores the workflow, creates the run and queues its first steps. Bad inputs throw before anything is written. */
  async submit(request: {
    readonly runId: string;
    readonly bundle: WorkflowBundle;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly priority?: number;
  }): Promise<RunRecord> {
    const { source, workflow } = await this.deps.workflows.put(request.bundle);
    const at = this.deps.clock();
    const first = startRun(workflow, { runId: request.runId, inputs: request.inputs, at }, this.runtime);
    const record = await this.deps.runs.create({
      runId: request.runId,
      workflowName: workflow.name,
      workflowFile: request.bundle.file,
      workflowDigest: workflow.digest,
      workflowSource: source,
      priority: request.priority ?? workflow.priority,
      workspace: '',
      inputs: first.state.inputs,
      status: 'running',
      createdAt: at,
      updatedAt: at,
    });
    const view = { record, workflow, state: first.state, seq: 0 };
    this.remember(view);
    await this.dispatch(view, first.commands);
    return record;
  }

  /** Cancels a running run: queued attempts are withdrawn, the run ends cancelled. */
  async cancel(runId: string, reason = 'cancelled'): Promise<void> {
    await this.transition(runId, () => [{ type: 'run_cancelled', at: this.deps.clock(), reason }]);
  }

  /**
   * Records a worker's report exactly once. A report for an attempt the
   * run is no longer waiting for (a duplicate delivery, a late one after a
   * cancel) changes nothing; it only makes sure the run's current work is
   * queued, which repairs a coordinator that died between recording and
   * dispatching.
   */
  async handleReport(report: StepReport): Promise<void> {
    const { key, attempt } = report.job;
    // Making a retry due starts its attempt again in the scheduler's eyes: that attempt is the one reported.
    const reported = (c: EngineCommand) =>
      c.type === 'start_step' && c.attempt === attempt && formatStepKey(c.key) === formatStepKey(key);
    await this.transition(
      report.job.runId,
      (view) => (isCurrentAttempt(unitOf(view, key), attempt) ? reportEvents(view, report) : undefined),
      reported,
    );
  }

  private get runtime() {
    return { secrets: this.deps.secrets };
  }

  /** Computes events from the stored state, appends them conditionally, then dispatches; retried on a lost race. */
  private async transition(
    runId: string,
    eventsFor: (view: RunView) => EngineEvent[] | undefined,
    alreadyDone: (command: EngineCommand) => boolean = () => false,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const cached = this.views.get(runId);
      const view = cached ?? (await loadRun(this.deps.runs, this.deps.workflows, runId, this.deps.secrets));
      if (view === undefined) return;
      const events = view.record.status === 'running' ? eventsFor(view) : undefined;
      if (events === undefined) {
        // A cached view may be behind another coordinator's: decide nothing on it, reload.
        if (this.views.delete(runId)) continue;
        await this.reconcile(view);
        return;
      }
      const { state, commands } = this.apply(view, events);
      let seq: number;
      try {
        seq = await this.deps.runs.appendEvents(runId, view.seq, events);
      } catch (error) {
        this.views.delete(runId);
        if (error instanceof VersionConflictError) continue;
        throw error;
      }
      const next = { ...view, state, seq };
      this.remember(next);
      await this.dispatch(
        next,
        commands.filter((c) => !alreadyDone(c)),
      );
      return;
    }
    throw new Error(`run ${runId}: ${MAX_CONFLICTS} transitions in a row lost a race; the report will be redelivered`);
  }

  private remember(view: RunView): void {
    if (view.state.status === 'running') this.views.set(view.record.runId, view);
    else this.views.delete(view.record.runId);
  }

  private apply(view: RunView, events: readonly EngineEvent[]): { state: RunState; commands: EngineCommand[] } {
    let state = view.state;
    const commands: EngineCommand[] = [];
    for (const event of events) {
      const decision = applyEvent(view.workflow, state, event, this.runtime);
      state = decision.state;
      commands.push(...decision.commands);
    }
    return { state, commands };
  }

  /** Makes the queues and the record agree with the state: idempotent, so safe to repeat. */
  private async reconcile(view: RunView): Promise<void> {
    if (view.state.status === 'running') {
      await this.dispatch(view, resumeCommands(view.workflow, view.state));
      return;
    }
    if (view.record.status === 'running') await this.finish(view);
  }

  private async dispatch(view: RunView, commands: readonly EngineCommand[]): Promise<void> {
    for (const command of commands) {
      switch (command.type) {
        case 'start_step':
          await this.deps.dispatcher.enqueue(jobFor(view, command.key, command.attempt));
          break;
        case 'schedule_retry':
          // The delay is a delayed job; its report first makes the retry due (see reportEvents).
          await this.deps.dispatcher.enqueue(jobFor(view, command.key, command.attempt), { delayMs: command.delayMs });
          break;
        case 'cancel_step':
          await this.deps.dispatcher.withdraw(jobFor(view, command.key, command.attempt));
          break;
        case 'finish_run':
          await this.finish(view);
          break;
      }
    }
  }

  private async finish(view: RunView): Promise<void> {
    const { state } = view;
    for (let record = view.record; record.status === 'running';) {
      try {
        await this.deps.runs.update(record, {
          status: state.status,
          outputs: state.outputs ?? {},
          ...(state.error === undefined ? {} : { error: state.error }),
          finishedAt: state.finishedAt ?? this.deps.clock(),
        });
        return;
      } catch (error) {
        if (!(error instanceof VersionConflictError)) throw error;
        const latest = await this.deps.runs.get(record.runId);
        if (latest === undefined) return;
        record = latest;
      }
    }
  }
}

/** The events a report stands for: the retry became due (if it was waiting), the attempt started, it finished. */
function reportEvents(view: RunView, report: StepReport): EngineEvent[] {
  const { key, attempt } = report.job;
  const events: EngineEvent[] = [];
  if (unitOf(view, key)?.status === 'waiting_retry')
    events.push({ type: 'retry_due', key, attempt, at: report.startedAt });
  events.push(
    { type: 'step_started', key, attempt, at: report.startedAt },
    { type: 'step_finished', key, attempt, at: report.finishedAt, outcome: report.outcome },
  );
  return events;
}

function jobFor(view: Pick<RunView, 'record' | 'workflow' | 'state'>, key: StepKey, attempt: number): StepJob {
  const step = view.workflow.steps.get(key.step);
  if (step === undefined) throw new Error(`run ${view.record.runId} has no step ${formatStepKey(key)}`);
  return {
    runId: view.record.runId,
    workflowDigest: view.workflow.digest,
    key,
    attempt,
    generation: view.state.generation,
    stepType: step.type,
    timeoutMs: step.timeoutMs,
    priority: view.record.priority ?? view.workflow.priority,
  };
}
