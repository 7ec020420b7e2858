import { loadRun } from '@flowline/cluster';
import { resolveInputs } from '@flowline/engine';
import { type RunRecord, VersionConflictError } from '@flowline/ports';
import type { Request, Response } from 'express';

import { badRequest } from './api-error.js';
import type { ApiRoute } from './api-route.js';
import type { CoordinatorAppDeps } from './app-deps.js';
import { type RunIdentity, idempotencyKey, runIdFor, sameRun } from './idempotency.js';
import type { ApiMetrics } from './metrics.js';
import { bodyObject, optionalString, queryValue } from './request-fields.js';
import { runDetailJson, runJson } from './run-json.js';
import { existingRun, runIdOf } from './run-lookup.js';
import { planJson } from './run-plan.js';
import { SUBMIT_FIELDS, compileBundle, workflowRequest } from './workflow-request.js';

const LIST_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;

const tag = 'runs';

/** Runs: create (idempotent), plan, read, list, cancel, retry. */
export function runsRoutes(deps: CoordinatorAppDeps, metrics: ApiMetrics): ApiRoute[] {
  return [
    {
      method: 'post',
      path: '/v1/runs',
      operationId: 'createRun',
      summary: 'Start a run of a named workflow or of inline YAML',
      tag,
      auth: true,
      requestBody: 'RunRequest',
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          description: 'Repeating a request with the same key returns the run the first one made',
          schema: { type: 'string', minLength: 1, maxLength: 255 },
        },
      ],
      responses: {
        '202': { description: 'Run created', schema: 'RunAccepted' },
        '200': { description: 'The run this Idempotency-Key already created', schema: 'RunAccepted' },
        '400': { description: 'Invalid workflow (with diagnostics) or inputs', schema: 'Error' },
        '404': { description: 'No workflow of that name', schema: 'Error' },
        '409': { description: 'The Idempotency-Key was used with another request', schema: 'Error' },
      },
      handler: (req, res) => createRun(deps, metrics, req, res),
    },
    {
      method: 'post',
      path: '/v1/runs:plan',
      operationId: 'planRun',
      summary: 'Dry run: the compiled DAG, its levels and diagnostics; nothing is stored or queued',
      tag,
      auth: true,
      requestBody: 'RunRequest',
      responses: {
        '200': { description: 'The plan', schema: 'RunPlan' },
        '400': { description: 'Invalid workflow (with diagnostics) or inputs', schema: 'Error' },
        '404': { description: 'No workflow of that name', schema: 'Error' },
      },
      handler: async (req, res) => {
        const request = await workflowRequest(bodyObject(req, SUBMIT_FIELDS), deps.workflowsDir);
        const { workflow, diagnostics } = compileBundle(request.bundle);
        const inputs = resolveInputs(workflow, request.inputs);
        res.json(planJson(workflow, diagnostics, inputs, request.priority ?? workflow.priority));
      },
    },
    {
      method: 'get',
      path: '/v1/runs',
      operationId: 'listRuns',
      summary: 'Runs, newest first',
      tag,
      auth: true,
      parameters: [
        query('status', 'Only runs in this status', { type: 'string', enum: LIST_STATUSES }),
        query('workflow', 'Only runs of this workflow (its name)', { type: 'string' }),
        query('limit', 'At most this many runs', { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT }),
      ],
      responses: { '200': { description: 'Runs', schema: 'RunList' } },
      handler: (req, res) => listRuns(deps, req, res),
    },
    {
      method: 'get',
      path: '/v1/runs/{id}',
      operationId: 'getRun',
      summary: "A run's record and each step's state",
      tag,
      auth: true,
      responses: {
        '200': { description: 'The run', schema: 'RunDetail' },
        '404': { description: 'Unknown run', schema: 'Error' },
      },
      handler: async (req, res) => {
        const record = await existingRun(deps.runs, req);
        res.json(runDetailJson(record, await loadRun(deps.runs, deps.workflows, record.runId, deps.secrets)));
      },
    },
    {
      method: 'post',
      path: '/v1/runs/{id}/cancel',
      operationId: 'cancelRun',
      summary: 'Cancel a running or queued run: queued attempts are withdrawn, running ones told to stop',
      tag,
      auth: true,
      requestBody: 'CancelRequest',
      responses: {
        '202': { description: 'Cancelled', schema: 'Run' },
        '404': { description: 'Unknown run', schema: 'Error' },
        '409': { description: 'The run has finished', schema: 'Error' },
      },
      handler: async (req, res) => {
        const reason = optionalString(bodyObject(req, ['reason']), 'reason');
        const record = await deps.control.cancel(runIdOf(req), reason);
        res.status(202).json(runJson(record));
      },
    },
    {
      method: 'post',
      path: '/v1/runs/{id}/retry',
      operationId: 'retryRun',
      summary: "Run a finished run's failed steps again, or a step and everything downstream of it",
      tag,
      auth: true,
      requestBody: 'RetryRequest',
      responses: {
        '202': { description: 'The run is running again', schema: 'Run' },
        '400': { description: 'Unknown step in "from"', schema: 'Error' },
        '404': { description: 'Unknown run', schema: 'Error' },
        '409': { description: 'The run is still running, or nothing failed', schema: 'Error' },
      },
      handler: async (req, res) => {
        const from = optionalString(bodyObject(req, ['from']), 'from');
        const record = await deps.control.retry(runIdOf(req), from === undefined ? {} : { from });
        res.status(202).json(runJson(record));
      },
    },
  ];
}

async function createRun(deps: CoordinatorAppDeps, metrics: ApiMetrics, req: Request, res: Response): Promise<void> {
  const key = idempotencyKey(req.get('Idempotency-Key'));
  const request = await workflowRequest(bodyObject(req, SUBMIT_FIELDS), deps.workflowsDir);
  // Compiled and checked here too (submit does it again) to answer with diagnostics and to compare a repeat.
  const { workflow } = compileBundle(request.bundle);
  const wanted: RunIdentity = {
    workflowDigest: workflow.digest,
    inputs: resolveInputs(workflow, request.inputs),
    priority: request.priority ?? workflow.priority,
  };
  const runId = runIdFor(key);
  const earlier = key === undefined ? undefined : await deps.runs.get(runId);
  if (earlier !== undefined) return accepted(res, 200, sameRun(earlier, wanted));
  let record: RunRecord;
  try {
    record = await deps.control.submit({
      runId,
      bundle: request.bundle,
      inputs: request.inputs,
      ...(request.priority === undefined ? {} : { priority: request.priority }),
    });
  } catch (error) {
    // Two requests with one key at once: the store let one create the run; the other answers with it.
    const winner = error instanceof VersionConflictError && key !== undefined ? await deps.runs.get(runId) : undefined;
    if (winner === undefined) throw error;
    return accepted(res, 200, sameRun(winner, wanted));
  }
  metrics.runSubmitted(workflow.name);
  accepted(res, 202, record);
}

function accepted(res: Response, status: number, record: RunRecord): void {
  res
    .status(status)
    .location(`/v1/runs/${encodeURIComponent(record.runId)}`)
    .json({ run_id: record.runId, status: record.status });
}

async function listRuns(deps: CoordinatorAppDeps, req: Request, res: Response): Promise<void> {
  const status = queryValue(req, 'status');
  if (status !== undefined && !LIST_STATUSES.includes(status)) {
    throw badRequest(`"status" must be one of ${LIST_STATUSES.join(', ')}`);
  }
  const workflow = queryValue(req, 'workflow');
  const limitText = queryValue(req, 'limit');
  const limit = limitText === undefined ? DEFAULT_LIST_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw badRequest(`"limit" must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  const runs = await deps.runs.list({
    // The store's status type names the statuses its driver writes; 'queued' comes with run concurrency.
    ...(status === undefined ? {} : { status: status as RunRecord['status'] }),
    ...(workflow === undefined ? {} : { workflow }),
  });
  res.json({ runs: runs.slice(0, limit).map(runJson) });
}

function query(name: string, description: string, schema: Record<string, unknown>) {
  return { name, in: 'query' as const, description, schema };
}
