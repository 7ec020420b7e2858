/**
 * The coordinator's JSON, as the CLI reads it (services/coordinator's
 * run-json.ts and api-schemas.ts are the source; `GET /openapi.json`
 * serves the same shapes). Only the fields the CLI uses are typed
 * strictly; `--json` prints the whole body as received.
 */

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface StepErrorJson {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
}

/** `POST /v1/runs` and `POST /v1/dlq/{id}/replay`. */
export interface RunAcceptedJson {
  readonly run_id: string;
  readonly status: RunStatus;
}

export interface RunJson {
  readonly run_id: string;
  readonly workflow_name: string;
  readonly workflow_file: string;
  readonly workflow_digest: string;
  readonly status: RunStatus;
  readonly priority: number | null;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly outputs: Readonly<Record<string, string>>;
  readonly error: StepErrorJson | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly finished_at: string | null;
}

export interface StepJson {
  /** `build`, or `lint[2]` for an item of a fan-out step. */
  readonly key: string;
  readonly step: string;
  readonly item?: number;
  readonly type: string;
  readonly status: string;
  readonly attempt: number;
  readonly cache_hit: boolean;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly duration_ms: number | null;
  readonly reason: string | null;
  readonly error: StepErrorJson | null;
}

/** `GET /v1/runs/{id}`: steps in declaration order, each fan-out step followed by its items. */
export interface RunDetailJson extends RunJson {
  readonly steps: readonly StepJson[];
}

export interface DeadLetterJson {
  readonly id: string;
  readonly run_id: string;
  readonly workflow_name: string;
  readonly step_key: string;
  readonly step_type: string;
  readonly attempts: number;
  readonly error: StepErrorJson;
  readonly exit_code: number | null;
  readonly fingerprint: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly log_tail: string;
  readonly worker: string | null;
  readonly created_at: string;
}

/** A diagnostic in an `invalid_workflow` error's `details.diagnostics`. */
export interface DiagnosticJson {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly end_line: number;
  readonly end_column: number;
  readonly path?: string;
  readonly step_id?: string;
}

/** The body of `POST /v1/runs`: a named workflow, or inline YAML with the template files it reads. */
export type RunRequestJson = (
  { readonly workflow: string } | { readonly yaml: string; readonly files: Readonly<Record<string, string>> }
) & {
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly priority?: number;
};

export interface RunFilter {
  readonly status?: string;
  readonly workflow?: string;
}

export interface DeadLetterFilter {
  readonly runId?: string;
  readonly workflow?: string;
  readonly fingerprint?: string;
}
