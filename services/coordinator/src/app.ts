import { createRequire } from 'node:module';

import { SecretMasker } from '@flowline/core';
import express, { type Express, type RequestHandler } from 'express';

import { ApiError } from './api-error.js';
import { stderrApiLog } from './api-log.js';
import { type ApiRoute, expressPath } from './api-route.js';
import type { CoordinatorAppDeps } from './app-deps.js';
import { parseTokenDigests, requireToken } from './auth.js';
import { BULL_BOARD_PATH } from './bull-board.js';
import { dlqRoutes } from './dlq-routes.js';
import { errorMiddleware, notFound } from './errors.js';
import { healthRoutes } from './health-routes.js';
import { ApiMetrics, labelRoute } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { runsRoutes } from './runs-routes.js';
import { stepLogsRoute } from './step-logs-route.js';
import { workflowRoutes } from './workflow-routes.js';

/** 1 MiB: a workflow with its template files fits many times over; a mistaken upload does not. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/**
 * The coordinator's HTTP API (DESIGN §3) as an express app: routes from one
 * table (which also gives the OpenAPI document), bearer-token auth on all
 * but the probes and /metrics, JSON bodies up to a limit, and one error
 * middleware. It holds no state: every coordinator replica serves the same
 * API over the same stores.
 */
export function createCoordinatorApp(deps: CoordinatorAppDeps): Express {
  const digests = parseTokenDigests(deps.tokenDigests);
  const masker = new SecretMasker(Object.values(deps.secrets));
  const metrics = new ApiMetrics({
    ...(deps.registry === undefined ? {} : { registry: deps.registry }),
    depths: deps.depths,
  });
  const routes = apiRoutes(deps, metrics, masker);
  const app = express();
  app.disable('x-powered-by');
  app.use(metrics.middleware());
  const auth = requireToken(digests);
  const json = jsonBody(deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  for (const route of routes) {
    const before = [
      labelRoute(route.path),
      ...(route.auth ? [auth] : []),
      ...(route.requestBody === undefined ? [] : json),
    ];
    app[route.method](expressPath(route.path), ...before, route.handler);
  }
  if (deps.bullBoard !== undefined) {
    app.use(BULL_BOARD_PATH, labelRoute(BULL_BOARD_PATH), requireToken(digests, { allowBasic: true }), deps.bullBoard);
  }
  app.use(notFound);
  app.use(errorMiddleware(deps.log ?? stderrApiLog, masker));
  return app;
}

function apiRoutes(deps: CoordinatorAppDeps, metrics: ApiMetrics, masker: SecretMasker): ApiRoute[] {
  const routes: ApiRoute[] = [
    ...healthRoutes({
      ready: deps.ready,
      readyTimeoutMs: deps.readyTimeoutMs ?? 2_000,
      registry: metrics.registry,
      masker,
    }),
    ...runsRoutes(deps, metrics),
    stepLogsRoute(deps),
    ...dlqRoutes(deps),
    ...workflowRoutes(),
  ];
  let document: Record<string, unknown> | undefined;
  routes.push({
    method: 'get',
    path: '/v1/openapi.json',
    operationId: 'openApi',
    summary: 'This document',
    tag: 'operations',
    auth: true,
    responses: { '200': { description: 'The OpenAPI 3.1 document of this API' } },
    handler: (_req, res) => {
      res.json((document ??= openApiDocument(routes, VERSION)));
    },
  });
  return routes;
}

/**
 * JSON bodies only, up to `limit` bytes: a body of another type is a 415
 * (not silently ignored), a larger one a 413 from the parser, which the
 * error middleware answers in the API's error shape.
 */
function jsonBody(limit: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    // `false`: there is a body and it is not JSON; `null`: there is none. An empty one is none too.
    if (req.get('content-length') !== '0' && req.is('application/json') === false) {
      next(new ApiError(415, 'unsupported_media_type', 'send the request body as application/json'));
      return;
    }
    next();
  };
  return [requireJson, express.json({ limit, strict: true, type: 'application/json' })];
}
