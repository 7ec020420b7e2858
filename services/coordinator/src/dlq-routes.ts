import type { DeadLetter, DeadLetterFilter } from '@flowline/ports';
import type { Request } from 'express';

import { ApiError } from './api-error.js';
import type { ApiRoute } from './api-route.js';
import type { CoordinatorAppDeps } from './app-deps.js';
import { bodyObject, optionalObject, queryValue } from './request-fields.js';
import { deadLetterJson } from './run-json.js';

/** Letter ids are `dl-` and hex; the same shape as run ids is accepted, anything else names no letter. */
const LETTER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const tag = 'dead letters';
const ID_404 = { description: 'Unknown dead letter', schema: 'Error' };

/** Dead-lettered steps: list, read, replay (optionally with patched run inputs), purge. */
export function dlqRoutes(deps: CoordinatorAppDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/v1/dlq',
      operationId: 'listDeadLetters',
      summary: 'Dead-lettered steps, newest first',
      tag,
      auth: true,
      parameters: [
        { name: 'run_id', in: 'query', description: 'Only this run’s', schema: { type: 'string' } },
        { name: 'workflow', in: 'query', description: 'Only this workflow’s (its name)', schema: { type: 'string' } },
        {
          name: 'fingerprint',
          in: 'query',
          description: 'Only failures alike this one (same fingerprint)',
          schema: { type: 'string' },
        },
      ],
      responses: { '200': { description: 'Dead letters', schema: 'DeadLetterList' } },
      handler: async (req, res) => {
        const letters = await deps.deadLetters.list(filterOf(req));
        res.json({ dead_letters: letters.map(deadLetterJson) });
      },
    },
    {
      method: 'get',
      path: '/v1/dlq/{id}',
      operationId: 'getDeadLetter',
      summary: 'One dead letter: error, fingerprint, rendered inputs, log tail',
      tag,
      auth: true,
      responses: { '200': { description: 'The letter', schema: 'DeadLetter' }, '404': ID_404 },
      handler: async (req, res) => {
        res.json(deadLetterJson(await existingLetter(deps, req)));
      },
    },
    {
      method: 'post',
      path: '/v1/dlq/{id}/replay',
      operationId: 'replayDeadLetter',
      summary: "Resume the letter's run from its step, optionally with some run inputs replaced",
      tag,
      auth: true,
      requestBody: 'ReplayRequest',
      responses: {
        '202': { description: 'The run is running again', schema: 'RunAccepted' },
        '400': { description: 'Invalid patched inputs', schema: 'Error' },
        '404': ID_404,
        '409': { description: 'The run is still running', schema: 'Error' },
      },
      handler: async (req, res) => {
        const inputs = optionalObject(bodyObject(req, ['inputs']), 'inputs');
        const record = await deps.control.replayDeadLetter(letterIdOf(req), inputs === undefined ? {} : { inputs });
        res
          .status(202)
          .location(`/v1/runs/${encodeURIComponent(record.runId)}`)
          .json({ run_id: record.runId, status: record.status });
      },
    },
    {
      method: 'delete',
      path: '/v1/dlq/{id}',
      operationId: 'purgeDeadLetter',
      summary: 'Remove a dead letter without replaying it',
      tag,
      auth: true,
      responses: { '204': { description: 'Removed' }, '404': ID_404 },
      handler: async (req, res) => {
        const id = letterIdOf(req);
        if (!(await deps.deadLetters.delete(id))) throw unknownLetter(id);
        res.status(204).end();
      },
    },
  ];
}

function filterOf(req: Request): DeadLetterFilter {
  const runId = queryValue(req, 'run_id');
  const workflow = queryValue(req, 'workflow');
  const fingerprint = queryValue(req, 'fingerprint');
  return {
    ...(runId === undefined ? {} : { runId }),
    ...(workflow === undefined ? {} : { workflow }),
    ...(fingerprint === undefined ? {} : { fingerprint }),
  };
}

async function existingLetter(deps: CoordinatorAppDeps, req: Request): Promise<DeadLetter> {
  const id = letterIdOf(req);
  const letter = await deps.deadLetters.get(id);
  if (letter === undefined) throw unknownLetter(id);
  return letter;
}

function letterIdOf(req: Request): string {
  const id = String(req.params['id']);
  if (!LETTER_ID.test(id)) throw unknownLetter(id);
  return id;
}

function unknownLetter(id: string): ApiError {
  return new ApiError(404, 'unknown_dead_letter', `there is no dead letter ${JSON.stringify(id)}`);
}
