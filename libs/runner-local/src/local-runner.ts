import { FlowlineError, SecretMasker } from '@flowline/core';
import {
  type EngineCommand,
  type EngineEvent,
  type RunState,
  applyEvent,
  replayRun,
  resumeCommands,
  startRun,
  stepsToRetry,
} from '@flowline/engine';
import type { RunRecord } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';

import { RunLoop } from './run-loop.js';
import type { RunnerDeps } from './runner-deps.js';

/** How to run: the same for a new run, a resume and a retry. */
export interface LocalRunOptions {
  readonly workflow: CompiledWorkflow;
  readonly parallel: number;
  /** Declared secrets' values, read from the environment by the caller. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Workspace-relative path prefixes never captured as changes (the state directory inside it). */
  readonly exclude: readonly string[];
  readonly onEvent?: (event: EngineEvent, state: RunState) => void;
  readonly onLog?: (key: string, text: string) => void;
  readonly onStart?: (record: RunRecord, state: RunState) => void;
  readonly signal?: AbortSignal;
}

export interface LocalRunResult {
  readonly record: RunRecord;
  readonly state: RunState;
}

/**
 * Starts a run. Inputs are checked before anything is written: bad inputs
 * throw a ValidationError and leave the state directory as it was.
 */
export async function startLocalRun(
  deps: RunnerDeps,
  options: LocalRunOptions,
  run: {
    readonly runId: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly workspace: string;
    readonly workflowFile: string;
  },
): Promise<LocalRunResult> {
  const at = deps.clock();
  const first = startRun(options.workflow, { runId: run.runId, inputs: run.inputs, at }, { secrets: options.secrets });
  const record = await deps.runs.create({
    runId: run.runId,
    workflowName: options.workflow.name,
    workflowFile: run.workflowFile,
    workflowDigest: options.workflow.digest,
    workspace: run.workspace,
    inputs: first.state.inputs,
    status: 'running',
    createdAt: at,
    updatedAt: at,
    owner: String(process.pid),
  });
  return drive(deps, options, record, first.state, 0, first.commands);
}

/** Carries on a run whose process died: replays its log, re-runs what was in flight. */
export async function resumeLocalRun(
  deps: RunnerDeps,
  options: LocalRunOptions,
  runId: string,
): Promise<LocalRunResult> {
  const { record, state, seq } = await load(deps, options, runId);
  if (record.status !== 'running') {
    throw new FlowlineError(
      'run_finished',
      `run ${runId} already ${record.status}; use flowline retry to run steps again`,
    );
  }
  const owned = await takeOver(deps, record);
  return drive(deps, options, owned, state, seq, resumeCommands(options.workflow, state));
}

/** Runs the failed steps again (or `from` and its descendants), reusing every other output. */
export async function retryLocalRun(
  deps: RunnerDeps,
  options: LocalRunOptions,
  runId: string,
  from?: string,
): Promise<LocalRunResult> {
  const { record, state, seq } = await load(deps, options, runId);
  if (from !== undefined && !options.workflow.steps.has(from)) {
    throw new FlowlineError('unknown_step', `run ${runId}: workflow ${options.workflow.name} has no step "${from}"`);
  }
  if (record.status === 'running') {
    throw new FlowlineError('run_running', `run ${runId} has not finished; resume it instead`);
  }
  const steps = stepsToRetry(options.workflow, state, from);
  if (steps.length === 0) throw new FlowlineError('nothing_to_retry', `run ${runId} has no failed steps to retry`);
  const owned = await takeOver(deps, record);
  const reset: EngineEvent = { type: 'steps_reset', steps, at: deps.clock() };
  const decision = applyEvent(options.workflow, state, reset, { secrets: options.secrets });
  const next = await deps.runs.appendEvents(runId, seq, [reset]);
  return drive(deps, options, owned, decision.state, next, decision.commands);
}

async function drive(
  deps: RunnerDeps,
  options: LocalRunOptions,
  record: RunRecord,
  state: RunState,
  seq: number,
  commands: readonly EngineCommand[],
): Promise<LocalRunResult> {
  options.onStart?.(record, state);
  const masker = new SecretMasker(Object.values(options.secrets));
  const loop = new RunLoop(deps, { ...options, record, state, seq, masker });
  const final = await loop.run(commands);
  return { record: final, state: loop.currentState };
}

/** The record and the state its event log replays to; refuses a run of another workflow version. */
async function load(deps: RunnerDeps, options: LocalRunOptions, runId: string) {
  const record = await deps.runs.get(runId);
  if (record === undefined) throw new FlowlineError('unknown_run', `no run ${runId}`);
  if (record.workflowDigest !== options.workflow.digest) {
    throw new FlowlineError(
      'workflow_changed',
      `run ${runId} was started from another version of ${record.workflowFile}; it can only continue with the same file`,
    );
  }
  const events = await deps.runs.readEvents(runId);
  const start = { runId, inputs: record.inputs, at: record.createdAt };
  const state = replayRun(
    options.workflow,
    start,
    events.map((e) => e.event),
    { secrets: options.secrets },
  );
  return { record, state, seq: events.at(-1)?.seq ?? 0 };
}

/** A run driven by a live process belongs to it; one whose process died is taken over. */
async function takeOver(deps: RunnerDeps, record: RunRecord): Promise<RunRecord> {
  const owner = Number(record.owner);
  if (record.status === 'running' && Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
    throw new FlowlineError('run_in_progress', `run ${record.runId} is being run by process ${owner}`);
  }
  return deps.runs.update(record, { owner: String(process.pid), status: 'running', updatedAt: deps.clock() });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
