import { ApiError } from './api-error.js';
import type { ApiRoute } from './api-route.js';
import type { CoordinatorAppDeps } from './app-deps.js';
import { existingRun } from './run-lookup.js';

/** `build`, or `lint[3]` for an item of a fan-out step. */
const STEP_KEY = /^([a-z][a-z0-9_-]*)(\[\d+\])?$/;

/** A step's log, every attempt of it, as text. */
export function stepLogsRoute(deps: CoordinatorAppDeps): ApiRoute {
  return {
    method: 'get',
    path: '/v1/runs/{id}/steps/{step}/logs',
    operationId: 'getStepLogs',
    summary: "A step's log (stdout, stderr and Flowline's notes, every attempt), masked",
    tag: 'runs',
    auth: true,
    responses: {
      '200': { description: 'The log', mediaType: 'text/plain' },
      '404': { description: 'Unknown run or step', schema: 'Error' },
    },
    handler: async (req, res) => {
      const record = await existingRun(deps.runs, req);
      const stepKey = String(req.params['step']);
      const stepId = STEP_KEY.exec(stepKey)?.[1];
      const workflow =
        record.workflowSource === undefined ? undefined : await deps.workflows.get(record.workflowSource);
      if (stepId === undefined || (workflow !== undefined && !workflow.steps.has(stepId))) {
        throw new ApiError(404, 'unknown_step', `run ${record.runId} has no step ${JSON.stringify(stepKey)}`);
      }
      const text = await deps.logs.read(record.runId, stepKey);
      res.type('text/plain; charset=utf-8').send(text);
    },
  };
}
