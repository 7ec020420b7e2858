import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { SecretMasker } from '@flowline/core';
import type { StepOutcome } from '@flowline/engine';
import type { StepConsumer, StepJob } from '@flowline/ports';
import { AttemptDirectories, type RunnerDeps, WorkspaceLock, attemptStep, driverFault } from '@flowline/runner-local';

import { type RunView, isCurrentJob, loadRun } from './run-view.js';
import { type SecretsOf, secretsFor } from './secrets-of.js';
import { materializeWorkspace } from './step-workspace.js';
import type { WorkflowStore } from './workflow-store.js';

export interface WorkerDeps extends RunnerDeps {
  readonly workflows: WorkflowStore;
  readonly consumer: StepConsumer;
  readonly workerId: string;
  /** Declared secrets' values, from the worker's environment: per workflow (`secretsFromEnvironment`) on a worker service. */
  readonly secrets: SecretsOf;
}

/**
 * A worker: takes attempts from the queues, rebuilds the step's input
 * workspace from its ancestors' change sets, runs the attempt exactly as
 * `flowline run` does (cache, sandbox, capture, masking), and reports. It
 * records nothing itself: the coordinator applies the report.
 */
export class StepWorker {
  constructor(private readonly deps: WorkerDeps) {}

  start(stepTypes: readonly string[], concurrency: number): void {
    this.deps.consumer.consume(stepTypes, concurrency, (job, signal) => this.run(job, signal));
  }

  async run(job: StepJob, signal: AbortSignal): Promise<void> {
    const startedAt = this.deps.clock();
    const outcome = await this.attempt(job, signal).catch(driverFault);
    if (outcome === undefined) return; // not an attempt the run is waiting for: nothing to report
    // The queue took the job back (lost lock, forced shutdown): it runs again elsewhere, so no report.
    if (signal.aborted && !isCancel(signal.reason)) return;
    await this.deps.consumer.report({
      job,
      startedAt,
      finishedAt: this.deps.clock(),
      outcome,
      worker: this.deps.workerId,
    });
  }

  private async attempt(job: StepJob, signal: AbortSignal): Promise<StepOutcome | undefined> {
    const view = await loadRun(this.deps.runs, this.deps.workflows, job.runId, this.deps.secrets);
    if (view?.record.status !== 'running' || !isCurrentJob(view, job)) return undefined;
    const root = await mkdtemp(join(this.deps.tempDir, 'flowline-job-'));
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort('timeout'), job.timeoutMs);
    const onStop = () => timeout.abort('cancelled');
    signal.addEventListener('abort', onStop, { once: true });
    try {
      return await this.execute(view, job, root, timeout.signal);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onStop);
      await rm(root, { recursive: true, force: true });
    }
  }

  private execute(view: RunView, job: StepJob, root: string, signal: AbortSignal): Promise<StepOutcome> {
    const secrets = secretsFor(this.deps.secrets, view.workflow);
    return attemptStep(this.deps, {
      workflow: view.workflow,
      state: view.state,
      key: job.key,
      attempt: job.attempt,
      timeoutMs: job.timeoutMs,
      workspace: async () => {
        const workspace = join(root, 'ws');
        await materializeWorkspace(workspace, view.workflow, view.state, job.key.step, this.deps.blobs);
        return workspace;
      },
      exclude: [],
      secrets,
      masker: new SecretMasker(Object.values(secrets)),
      signal,
      lock: new WorkspaceLock(),
      dirs: () => AttemptDirectories.create(root),
    });
  }
}

/** A cancel is reported; the queue taking a job back (lock_lost, handed_back) is not. */
function isCancel(reason: unknown): boolean {
  const code = typeof reason === 'object' && reason !== null && 'code' in reason ? reason.code : undefined;
  return code !== 'lock_lost' && code !== 'handed_back';
}
