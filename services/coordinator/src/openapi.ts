import type { ApiRoute, ResponseDoc } from './api-route.js';
import { API_SCHEMAS } from './api-schemas.js';

type Json = Record<string, unknown>;

const PATH_PARAMETER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

const PATH_PARAMETER_DOCS: Readonly<Record<string, string>> = {
  id: 'The run id (`/v1/runs/…`) or dead letter id (`/v1/dlq/…`)',
  step: 'A step key: `build`, or `lint[3]` for an item of a fan-out step',
};

/**
 * The OpenAPI 3.1 document of the given routes: the same table express
 * serves, so every route is documented and every documented path routed.
 */
export function openApiDocument(routes: readonly ApiRoute[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Flowline coordinator',
      version,
      description:
        'Submit and watch workflow runs, retry them, replay dead-lettered steps. ' +
        'Every route but the probes and /metrics takes `Authorization: Bearer <token>`. ' +
        'Errors are `{"error":{"code","message","details"}}`.',
    },
    tags: [...new Set(routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: API_SCHEMAS,
    },
    security: [{ bearer: [] }],
  };
}

function operation(route: ApiRoute): Json {
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth ? {} : { security: [] }),
    parameters: [...pathParameters(route.path), ...(route.parameters ?? [])],
    ...(route.requestBody === undefined
      ? {}
      : {
          requestBody: { required: false, content: { 'application/json': { schema: schemaRef(route.requestBody) } } },
        }),
    responses: Object.fromEntries(
      Object.entries({ ...route.responses, ...commonResponses(route) }).map(([status, doc]) => [status, response(doc)]),
    ),
  };
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(PATH_PARAMETER)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    description: PATH_PARAMETER_DOCS[name!] ?? name,
    schema: { type: 'string' },
  }));
}

/** Errors any route of its kind can answer with, so each route lists only its own. */
function commonResponses(route: ApiRoute): Record<string, ResponseDoc> {
  const error = (description: string): ResponseDoc => ({ description, schema: 'Error' });
  return {
    ...(route.auth ? { '401': error('No token, or not a valid one') } : {}),
    ...(route.requestBody === undefined
      ? {}
      : {
          '413': error('The body is larger than the limit'),
          '415': error('The body is not JSON'),
        }),
    ...(route.auth ? { '503': error('Redis or the state store is unavailable; try again') } : {}),
    '500': error('Internal error (logged by the coordinator)'),
  };
}

function response(doc: ResponseDoc): Json {
  if (doc.schema !== undefined) {
    return { description: doc.description, content: { 'application/json': { schema: schemaRef(doc.schema) } } };
  }
  if (doc.mediaType !== undefined) {
    return { description: doc.description, content: { [doc.mediaType]: { schema: { type: 'string' } } } };
  }
  return { description: doc.description };
}

function schemaRef(name: string): Json {
  if (API_SCHEMAS[name] === undefined) throw new Error(`the OpenAPI document has no schema ${name}`);
  return { $ref: `#/components/schemas/${name}` };
}
