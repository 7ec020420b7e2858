import type { RenderedStep } from '@flowline/engine';
import type { ExecutedStepType, Executor, ExecutorConfig } from '@flowline/executors';
import type { BlobStore, RunStateStore, StepCache, StepLogStore } from '@flowline/ports';
import type { Sandbox } from '@flowline/sandbox';

/** What the local driver runs on: the embedded stores, a sandbox, executor settings and a clock. */
export interface RunnerDeps {
  readonly runs: RunStateStore;
  readonly logs: StepLogStore;
  /** Undefined with --no-cache: nothing is looked up or stored. */
  readonly cache: StepCache | undefined;
  readonly blobs: BlobStore;
  readonly sandbox: Sandbox;
  readonly config: ExecutorConfig;
  readonly clock: () => number;
  /** Where attempts' scratch and capture directories go: outside the workspace (overlay layers may not nest). */
  readonly tempDir: string;
  /** Warnings for the user (a corrupt cache entry, unsandboxed steps). */
  readonly warn: (message: string) => void;
  /**
   * Picks the executor for a rendered step; the catalogue's by type when
   * unset. `flowline test` sets it to stand mocks in for chosen steps.
   */
  readonly executorFor?: (step: RenderedStep & { readonly type: ExecutedStepType }) => Executor;
}
