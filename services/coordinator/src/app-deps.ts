import type { ClusterControl, WorkflowStore } from '@flowline/cluster';
import type { DeadLetterStore, QueueDepth, RunStateStore, StepLogStore } from '@flowline/ports';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

import type { ApiLog } from './api-log.js';

/** Everything the HTTP API needs, as one object: the app itself does no I/O of its own. */
export interface CoordinatorAppDeps {
  /** What changes runs: submit, cancel, retry, replay. */
  readonly control: ClusterControl;
  readonly runs: RunStateStore;
  readonly logs: StepLogStore;
  readonly deadLetters: DeadLetterStore;
  /** Compiled workflows by stored bundle, for a run's step states. */
  readonly workflows: WorkflowStore;
  readonly depths: () => Promise<Readonly<Record<string, QueueDepth>>>;
  /** Resolves when Redis and the state store answer (`/readyz`). */
  readonly ready: () => Promise<void>;
  /** `sha256:<hex>` of each accepted API token; never the tokens. */
  readonly tokenDigests: readonly string[];
  /** Where `{"workflow": NAME}` finds `NAME.yaml` (and the template files beside it). */
  readonly workflowsDir: string;
  /** Declared secrets' values: masked in every error message and log line, used to replay runs' state. */
  readonly secrets: Readonly<Record<string, string>>;
  /** Where the API's metrics go; a new registry when absent. */
  readonly registry?: Registry;
  /** bull-board's router, mounted at `/admin/queues` behind the same tokens. */
  readonly bullBoard?: RequestHandler;
  /** Largest JSON body accepted, in bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** How long `/readyz` waits for `ready()`. Default 2 s. */
  readonly readyTimeoutMs?: number;
  readonly log?: ApiLog;
}
