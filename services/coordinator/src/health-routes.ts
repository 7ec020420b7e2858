import { type SecretMasker, errorMessage } from '@flowline/core';
import type { Registry } from 'prom-client';

import type { ApiRoute } from './api-route.js';
import { withDeadline } from './deadline.js';

export interface HealthDeps {
  readonly ready: () => Promise<void>;
  readonly readyTimeoutMs: number;
  readonly registry: Registry;
  readonly masker: SecretMasker;
}

const tag = 'operations';

/**
 * Probes and metrics. They take no token: Kubernetes probes and Prometheus
 * scrapers carry none, and they reveal nothing about runs (no ids, no
 * inputs; metric labels are bounded and masked).
 */
export function healthRoutes(deps: HealthDeps): ApiRoute[] {
  return [
    {
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'Liveness: the process answers',
      tag,
      auth: false,
      responses: { '200': { description: 'Alive', schema: 'Health' } },
      handler: (_req, res) => {
        res.json({ status: 'ok' });
      },
    },
    {
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Readiness: Redis and the state store answer',
      tag,
      auth: false,
      responses: {
        '200': { description: 'Ready', schema: 'Health' },
        '503': { description: 'A dependency is unreachable', schema: 'Unavailable' },
      },
      handler: async (_req, res) => {
        try {
          await withDeadline(deps.ready(), deps.readyTimeoutMs, 'the readiness check');
          res.json({ status: 'ok' });
        } catch (error) {
          res.status(503).json({ status: 'unavailable', reason: deps.masker.text(errorMessage(error)) });
        }
      },
    },
    {
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics: queue depths per state, HTTP requests, runs submitted',
      tag,
      auth: false,
      responses: { '200': { description: 'Prometheus text format', mediaType: 'text/plain' } },
      handler: async (_req, res) => {
        const text = await deps.registry.metrics();
        res.type(deps.registry.contentType).send(text);
      },
    },
  ];
}
