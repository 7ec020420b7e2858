import { FlowlineError, SecretMasker } from '@flowline/core';
import {
  type EngineCommand,
  type EngineEvent,
  type RunState,
  applyEvent,
  formatStepKey,
  resolveInputs,
  resumeCommands,
  startRun,
  stepsToRetry,
} from '@flowline/engine';
import {
  type DeadLetterStore,
  type RunAdmission,
  type RunRecord,
  type RunStateStore,
  type StepDispatcher,
  type StepLogStore,
  type StepReport,
  VersionConflictError,
} from '@flowline/ports';

import type { ClusterControl, SubmitRequest } from './cluster-control.js';
import { ConcurrencyGate, concurrencyOf } from './concurrency-gate.js';
import { deadLetterFor } from './dead-letters.js';
import { jobFor } from './job-for.js';
import { type RunView, isCurrentJob, loadRun, unitOf } from './run-view.js';
import type { WorkflowStore } from './workflow-store.js';

export interface CoordinatorDeps {
  readonly runs: RunStateStore;
  readonly logs: StepLogStore;
  readonly deadLetters: DeadLetterStore;
  readonly workflows: WorkflowStore;
  readonly dispatcher: StepDispatcher;
  /** Concurrency groups (workflow `concurrency`), shared by every coordinator. */
  readonly admission: RunAdmission;
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
export class RunCoordinator implements ClusterControl {
  /**
   * Running runs as this coordinator last wrote them, so a report costs one
   * conditional append rather than a replay of the whole log. Safe with
   * several coordinators: a view that is behind fails its append (the seq
   * moved) and is reloaded.
   */
  private readonly views = new Map<string, RunView>();
  private readonly masker: SecretMasker;
  private readonly gate: ConcurrencyGate;

  constructor(private readonly deps: CoordinatorDeps) {
    this.masker = new SecretMasker(Object.values(deps.secrets));
    this.gate = new ConcurrencyGate(deps.admission, deps.runs);
  }

  /** Starts consuming reports, after making every running run's queued work agree with its state. */
  async start(): Promise<void> {
    await this.recover();
    this.deps.dispatcher.consumeReports((report) => this.handleReport(report));
  }

  /**
   * Re-dispatches the current work of every running run. A coordinator that
   * died between creating a run (or recording a transition) and queueing
   * its steps left work that nothing would ever report on; dispatch is
   * idempotent, so doing this at every start is safe.
   */
  async recover(): Promise<number> {
    const running = await this.deps.runs.list({ status: 'running' });
    for (const record of running) {
      const view = await this.load(record.runId);
      if (view !== undefined) await this.reconcile(view);
    }
    // Oldest first, so a line rebuilt after Redis lost it keeps its order.
    const queued = (await this.deps.runs.list({ status: 'queued' })).reverse();
    for (const record of queued) await this.beginAll(await this.gate.enter(record));
    return running.length + queued.length;
  }

  /** Stores the workflow, creates the run and queues its first steps. Bad inputs throw before anything is written. */
  async submit(request: SubmitRequest): Promise<RunRecord> {
    const { source, workflow } = await this.deps.workflows.put(request.bundle);
    const at = this.deps.clock();
    const first = startRun(workflow, { runId: request.runId, inputs: request.inputs, at }, this.runtime);
    const concurrency = concurrencyOf(workflow, request.runId, first.state.inputs);
    const record = await this.deps.runs.create({
      runId: request.runId,
      workflowName: workflow.name,
      workflowFile: request.bundle.file,
      workflowDigest: workflow.digest,
      workflowSource: source,
      priority: request.priority ?? workflow.priority,
      workspace: '',
      inputs: first.state.inputs,
      status: concurrency === undefined ? 'running' : 'queued',
      ...(concurrency === undefined ? {} : { concurrency }),
      createdAt: at,
      updatedAt: at,
    });
    if (concurrency !== undefined) {
      await this.beginAll(await this.gate.enter(record));
      return (await this.deps.runs.get(record.runId)) ?? record;
    }
    const view = { record, workflow, state: first.state, seq: 0 };
    this.remember(view);
    await this.dispatch(view, first.commands);
    return record;
  }

  /** Starts runs that were given a slot in their concurrency group. */
  private async beginAll(runIds: readonly string[]): Promise<void> {
    for (const runId of runIds) {
      const record = await this.deps.runs.get(runId);
      if (record?.status === 'queued') await this.begin(record);
    }
  }

  /**
   * Starts a queued run: its record becomes running, its first steps are
   * queued. Its state is what startRun makes from the record (it has no
   * events yet), the same state a reload replays to. Losing the record's
   * race means another coordinator began it.
   */
  private async begin(queued: RunRecord): Promise<void> {
    let record: RunRecord;
    try {
      record = await this.deps.runs.update(queued, { status: 'running', updatedAt: this.deps.clock() });
    } catch (error) {
      if (error instanceof VersionConflictError) return;
      throw error;
    }
    const workflow = await this.deps.workflows.get(record.workflowSource ?? '');
    const start = { runId: record.runId, inputs: record.inputs, at: record.createdAt };
    const first = startRun(workflow, start, this.runtime);
    const view = { record, workflow, state: first.state, seq: 0 };
    this.remember(view);
    await this.dispatch(view, first.commands);
  }

  /** Cancels a running run: queued attempts are withdrawn, running ones are told to stop. */
  async cancel(runId: string, reason = 'cancelled'): Promise<RunRecord> {
    const view = await this.require(runId);
    if (view.record.status === 'queued') return this.cancelQueued(view.record, reason);
    if (view.state.status !== 'running') {
      throw new FlowlineError('run_finished', `run ${runId} already ${view.state.status}`);
    }
    await this.transition(runId, () => [{ type: 'run_cancelled', at: this.deps.clock(), reason }]);
    await this.deps.dispatcher.cancelRunning(runId);
    return (await this.deps.runs.get(runId)) ?? view.record;
  }

  /** A run still waiting for a slot: it never started, so it only leaves the line. */
  private async cancelQueued(record: RunRecord, reason: string): Promise<RunRecord> {
    const at = this.deps.clock();
    const error = { code: 'cancelled', message: reason, retryable: false };
    let cancelled: RunRecord;
    try {
      cancelled = await this.deps.runs.update(record, { status: 'cancelled', error, finishedAt: at, updatedAt: at });
    } catch (conflict) {
      if (!(conflict instanceof VersionConflictError)) throw conflict;
      return this.cancel(record.runId, reason); // it started meanwhile
    }
    await this.beginAll(await this.gate.release(cancelled));
    return cancelled;
  }

  /** Runs a finished run's failed steps again (or `from` and its descendants), keeping every other output. */
  async retry(runId: string, options: { readonly from?: string } = {}): Promise<RunRecord> {
    const view = await this.require(runId);
    if (view.state.status === 'running') {
      throw new FlowlineError('run_running', `run ${runId} has not finished; cancel it first or wait`);
    }
    if (options.from !== undefined && !view.workflow.steps.has(options.from)) {
      throw new FlowlineError(
        'unknown_step',
        `run ${runId}: workflow ${view.workflow.name} has no step "${options.from}"`,
      );
    }
    const steps = stepsToRetry(view.workflow, view.state, options.from);
    if (steps.length === 0) throw new FlowlineError('nothing_to_retry', `run ${runId} has no failed steps to retry`);
    return this.reset(view, { type: 'steps_reset', steps, at: this.deps.clock() });
  }

  /**
   * Resumes a dead letter's run from its step: that step and everything
   * downstream of it run again (a fan-out step runs all its items again),
   * every other output is kept. Patched inputs replace the run's inputs
   * from here on and are checked like a new run's. The letter is removed.
   */
  async replayDeadLetter(
    id: string,
    options: { readonly inputs?: Readonly<Record<string, unknown>> } = {},
  ): Promise<RunRecord> {
    const letter = await this.deps.deadLetters.get(id);
    if (letter === undefined) throw new FlowlineError('unknown_dead_letter', `no dead letter ${id}`);
    const view = await this.require(letter.runId);
    const step = letter.stepKey.replace(/\[\d+\]$/, '');
    const steps = stepsToRetry(view.workflow, view.state, step);
    const inputs =
      options.inputs === undefined
        ? undefined
        : resolveInputs(view.workflow, { ...view.record.inputs, ...options.inputs });
    const record = await this.reset(view, {
      type: 'steps_reset',
      steps,
      at: this.deps.clock(),
      ...(inputs === undefined ? {} : { inputs }),
    });
    await this.deps.deadLetters.delete(id);
    return record;
  }

  /**
   * Records a worker's report exactly once. A report for an attempt the
   * run is no longer waiting for (a duplicate delivery, a late one after a
   * cancel or a retry) changes nothing; it only makes sure the run's
   * current work is queued, which repairs a coordinator that died between
   * recording and dispatching. A report that ends its step failed leaves a
   * dead letter, written before the transition so a crash between the two
   * loses nothing (the letter's id is the attempt's, so writing it again
   * on redelivery is a no-op).
   */
  async handleReport(report: StepReport): Promise<void> {
    const { key, attempt } = report.job;
    // Making a retry due starts its attempt again in the scheduler's eyes: that attempt is the one reported.
    const reported = (c: EngineCommand) =>
      c.type === 'start_step' && c.attempt === attempt && formatStepKey(c.key) === formatStepKey(key);
    await this.transition(
      report.job.runId,
      (view) => (isCurrentJob(view, report.job) ? reportEvents(view, report) : undefined),
      reported,
      async (view, next) => {
        if (unitOf({ workflow: view.workflow, state: next }, key)?.status === 'failed')
          await this.deadLetter(view, report);
      },
    );
  }

  private get runtime() {
    return { secrets: this.deps.secrets };
  }

  private async deadLetter(view: RunView, report: StepReport): Promise<void> {
    const letter = await deadLetterFor(view, report, {
      logs: this.deps.logs,
      masker: this.masker,
      secrets: this.deps.secrets,
    });
    if (letter !== undefined) await this.deps.deadLetters.put(letter);
  }

  /** Computes events from the stored state, appends them conditionally, then dispatches; retried on a lost race. */
  private async transition(
    runId: string,
    eventsFor: (view: RunView) => EngineEvent[] | undefined,
    alreadyDone: (command: EngineCommand) => boolean = () => false,
    beforeAppend: (view: RunView, next: RunState) => Promise<void> = () => Promise.resolve(),
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const cached = this.views.get(runId);
      const view = cached ?? (await this.load(runId));
      if (view === undefined) return;
      const events = view.record.status === 'running' ? eventsFor(view) : undefined;
      if (events === undefined) {
        // A cached view may be behind another coordinator's: decide nothing on it, reload.
        if (this.views.delete(runId)) continue;
        await this.reconcile(view);
        return;
      }
      const { state, commands } = this.apply(view, events);
      await beforeAppend(view, state);
      const seq = await this.append(view, events);
      if (seq === undefined) continue;
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

  /**
   * Reopens a run for a reset (retry, replay). The record goes back to
   * running before the event is appended: a crash between the two leaves a
   * record that the next reconcile finishes again, never a running state
   * behind a finished record, which nothing would ever look at.
   */
  private async reset(view: RunView, event: Extract<EngineEvent, { type: 'steps_reset' }>): Promise<RunRecord> {
    const { state, commands } = this.apply(view, [event]);
    const record =
      view.record.status === 'running'
        ? view.record
        : await this.deps.runs.update(view.record, { status: 'running', updatedAt: this.deps.clock() });
    const seq = await this.append(view, [event]);
    if (seq === undefined)
      throw new FlowlineError('state_conflict', `run ${view.record.runId} changed meanwhile; try again`, {
        retryable: true,
      });
    const next = { ...view, record, state, seq };
    this.remember(next);
    await this.dispatch(next, commands);
    return record;
  }

  /** Appends conditionally; undefined when another writer got there first (the caller reloads). */
  private async append(view: RunView, events: readonly EngineEvent[]): Promise<number | undefined> {
    try {
      return await this.deps.runs.appendEvents(view.record.runId, view.seq, events);
    } catch (error) {
      this.views.delete(view.record.runId);
      if (error instanceof VersionConflictError) return undefined;
      throw error;
    }
  }

  private load(runId: string): Promise<RunView | undefined> {
    return loadRun(this.deps.runs, this.deps.workflows, runId, this.deps.secrets);
  }

  private async require(runId: string): Promise<RunView> {
    const view = await this.load(runId);
    if (view === undefined) throw new FlowlineError('unknown_run', `no run ${runId}`);
    return view;
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
        const finished = await this.deps.runs.update(record, {
          status: state.status,
          outputs: state.outputs ?? {},
          ...(state.error === undefined ? {} : { error: state.error }),
          finishedAt: state.finishedAt ?? this.deps.clock(),
          updatedAt: this.deps.clock(),
        });
        await this.beginAll(await this.gate.release(finished));
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
