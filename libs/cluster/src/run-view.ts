import { type RunState, type StepKey, type WorkState, replayRun } from '@flowline/engine';
import type { RunRecord, RunStateStore, StepJob } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';

import { type SecretsOf, secretsFor } from './secrets-of.js';
import type { WorkflowStore } from './workflow-store.js';

/** A run as stored: its record, its workflow, the state its log replays to, and the log's last seq. */
export interface RunView {
  readonly record: RunRecord;
  readonly workflow: CompiledWorkflow;
  readonly state: RunState;
  readonly seq: number;
}

/** Reads a run from the store and replays its log. Undefined for an unknown run. */
export async function loadRun(
  runs: RunStateStore,
  workflows: WorkflowStore,
  runId: string,
  secrets: SecretsOf,
): Promise<RunView | undefined> {
  const record = await runs.get(runId);
  if (record?.workflowSource === undefined) return undefined;
  const [workflow, events] = await Promise.all([workflows.get(record.workflowSource), runs.readEvents(runId)]);
  const start = { runId, inputs: record.inputs, at: record.createdAt };
  const state = replayRun(
    workflow,
    start,
    events.map((e) => e.event),
    { secrets: secretsFor(secrets, workflow) },
  );
  return { record, workflow, state, seq: events.at(-1)?.seq ?? 0 };
}

/** One unit of work's state: a step, or an item of a fan-out step. */
export function unitOf(view: Pick<RunView, 'workflow' | 'state'>, key: StepKey): WorkState | undefined {
  const index = [...view.workflow.steps.keys()].indexOf(key.step);
  if (index === -1) return undefined;
  const step = view.state.steps.get(index);
  if (key.item === undefined) return step;
  return step.items !== undefined && key.item < step.items.length ? step.items.get(key.item) : undefined;
}

/** Whether `attempt` is the one the run is waiting for: running now, or due after a retry delay. */
export function isCurrentAttempt(work: WorkState | undefined, attempt: number): boolean {
  if (work === undefined) return false;
  if (work.status === 'running') return work.attempt === attempt;
  return work.status === 'waiting_retry' && work.attempt + 1 === attempt;
}

/** Whether the run is waiting for this job: same generation (no retry since it was queued), current attempt. */
export function isCurrentJob(
  view: Pick<RunView, 'workflow' | 'state'>,
  job: Pick<StepJob, 'key' | 'attempt' | 'generation'>,
): boolean {
  return job.generation === view.state.generation && isCurrentAttempt(unitOf(view, job.key), job.attempt);
}
