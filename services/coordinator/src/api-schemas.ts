/**
 * The OpenAPI document's component schemas (JSON Schema 2020-12, which
 * OpenAPI 3.1 uses as is): the shapes of run-json.ts, run-plan.ts and the
 * request bodies the routes read.
 */
type Schema = Readonly<Record<string, unknown>>;

const string: Schema = { type: 'string' };
const nullableString: Schema = { type: ['string', 'null'] };
const time: Schema = { type: 'string', format: 'date-time' };
const nullableTime: Schema = { type: ['string', 'null'], format: 'date-time' };
const integer: Schema = { type: 'integer' };
const anyObject: Schema = { type: 'object', additionalProperties: true };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

function object(properties: Record<string, Schema>, required: readonly string[] = Object.keys(properties)): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

const runStatus: Schema = { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] };

const run = {
  run_id: string,
  workflow_name: string,
  workflow_file: string,
  workflow_digest: string,
  status: runStatus,
  priority: { type: ['integer', 'null'], minimum: 1, maximum: 10 },
  inputs: anyObject,
  outputs: { type: 'object', additionalProperties: { type: 'string' } },
  error: { oneOf: [ref('StepError'), { type: 'null' }] },
  created_at: time,
  updated_at: time,
  finished_at: nullableTime,
};

const step = {
  key: string,
  step: string,
  item: integer,
  type: string,
  status: {
    type: 'string',
    enum: ['pending', 'running', 'waiting_retry', 'succeeded', 'failed', 'skipped', 'upstream_failed', 'cancelled'],
  },
  attempt: integer,
  cache_hit: { type: 'boolean' },
  started_at: nullableTime,
  finished_at: nullableTime,
  duration_ms: { type: ['integer', 'null'] },
  reason: nullableString,
  error: { oneOf: [ref('StepError'), { type: 'null' }] },
};

const diagnostic = {
  severity: { type: 'string', enum: ['error', 'warning'] },
  code: string,
  message: string,
  file: string,
  line: integer,
  column: integer,
  end_line: integer,
  end_column: integer,
  path: string,
  step_id: string,
  text: { type: 'string', description: '`file:line:col: severity: message [code]`' },
};

const deadLetter = {
  id: string,
  run_id: string,
  workflow_name: string,
  step_key: string,
  step_type: string,
  attempts: integer,
  error: ref('StepError'),
  exit_code: { type: ['integer', 'null'] },
  fingerprint: string,
  inputs: anyObject,
  log_tail: string,
  worker: nullableString,
  created_at: time,
};

const planStep = {
  id: string,
  type: string,
  needs: { type: 'array', items: string },
  trigger_rule: string,
  level: integer,
  conditional: { type: 'boolean', description: 'Has an `if` or sits in a conditional’s branch: it may be skipped' },
  cache_enabled: { type: 'boolean' },
  expected_cache_hit: {
    type: ['boolean', 'null'],
    description: 'false when the cache is off; null when it depends on what earlier steps produce',
  },
  for_each: {
    oneOf: [
      { type: 'null' },
      object({ items: { type: ['integer', 'null'] }, max_parallel: { type: ['integer', 'null'] } }),
    ],
  },
};

export const API_SCHEMAS: Readonly<Record<string, Schema>> = {
  Error: object({
    error: object({ code: string, message: string, details: anyObject }, ['code', 'message']),
  }),
  StepError: object({ code: string, message: string, retryable: { type: 'boolean' } }),
  RunRequest: {
    ...object(
      {
        workflow: {
          type: 'string',
          pattern: '^[a-z0-9][a-z0-9-]*$',
          description: 'A workflow in the workflows directory',
        },
        yaml: { type: 'string', description: 'Inline workflow YAML' },
        files: { type: 'object', additionalProperties: string, description: 'Template files the YAML names' },
        inputs: anyObject,
        priority: { type: 'integer', minimum: 1, maximum: 10 },
      },
      [],
    ),
    oneOf: [{ required: ['workflow'] }, { required: ['yaml'] }],
  },
  RunAccepted: object({ run_id: string, status: runStatus }),
  Run: object(run),
  RunDetail: object({ ...run, steps: { type: 'array', items: ref('StepState') } }),
  StepState: object(
    step,
    Object.keys(step).filter((key) => key !== 'item'),
  ),
  RunList: object({ runs: { type: 'array', items: ref('Run') } }),
  CancelRequest: object({ reason: string }, []),
  RetryRequest: object({ from: { type: 'string', description: 'Re-run this step and everything after it' } }, []),
  RunPlan: object({
    workflow: object({ name: string, digest: string }),
    inputs: anyObject,
    priority: integer,
    steps: { type: 'array', items: ref('PlanStep') },
    levels: { type: 'array', items: { type: 'array', items: string } },
    critical_path: { type: 'array', items: string },
    diagnostics: { type: 'array', items: ref('Diagnostic') },
    lint: { type: 'array', description: 'Lint findings (empty until the linter exists)' },
  }),
  PlanStep: object(planStep),
  Diagnostic: object(
    diagnostic,
    Object.keys(diagnostic).filter((key) => key !== 'path' && key !== 'step_id'),
  ),
  ValidateRequest: object({ yaml: string, files: { type: 'object', additionalProperties: string } }, ['yaml']),
  ValidateResult: object({ valid: { type: 'boolean' }, diagnostics: { type: 'array', items: ref('Diagnostic') } }),
  DeadLetter: object(deadLetter),
  DeadLetterList: object({ dead_letters: { type: 'array', items: ref('DeadLetter') } }),
  ReplayRequest: object({ inputs: { ...anyObject, description: 'Run inputs to replace before replaying' } }, []),
  Health: object({ status: { const: 'ok' } }),
  Unavailable: object({ status: { const: 'unavailable' }, reason: string }),
};
