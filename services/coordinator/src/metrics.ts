import type { QueueDepth } from '@flowline/ports';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

import { withDeadline } from './deadline.js';

export interface ApiMetricsOptions {
  /** Where the metrics go; a new registry when absent (the service adds the process metrics to its own). */
  readonly registry?: Registry;
  /** Queue depths per queue, read on each scrape. */
  readonly depths: () => Promise<Readonly<Record<string, QueueDepth>>>;
  /** A scrape waits this long for the depths, then shows none (Redis is down). Default 2 s. */
  readonly depthTimeoutMs?: number;
}

const DEPTH_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed', 'completed'] as const;

/**
 * The coordinator's metrics, one set per app. Labels are bounded: a route's
 * pattern (`/v1/runs/{id}`, never the URL with its ids), a method, a status
 * code, a queue, a state, a workflow name.
 */
export class ApiMetrics {
  readonly registry: Registry;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;
  private readonly submitted: Counter<'workflow'>;

  constructor(options: ApiMetricsOptions) {
    const registers = [(this.registry = options.registry ?? new Registry())];
    this.requests = new Counter({
      name: 'flowline_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'flowline_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route pattern',
      labelNames: ['method', 'route'],
      registers,
    });
    this.submitted = new Counter({
      name: 'flowline_runs_submitted_total',
      help: 'Runs created through the API (an idempotent repeat is not counted), by workflow',
      labelNames: ['workflow'],
      registers,
    });
    queueGauges(registers, options.depths, options.depthTimeoutMs ?? 2_000);
  }

  /** Counts and times every request; the route label is what `labelRoute` set, else `unmatched`. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const route = typeof res.locals['route'] === 'string' ? res.locals['route'] : 'unmatched';
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        this.requests.inc({ method: req.method, route, status: String(res.statusCode) });
        this.duration.observe({ method: req.method, route }, seconds);
      });
      next();
    };
  }

  runSubmitted(workflow: string): void {
    this.submitted.inc({ workflow });
  }
}

/** Marks the request with its route pattern for the metrics (set before auth, so a 401 is labelled too). */
export function labelRoute(pattern: string): RequestHandler {
  return (_req, res, next) => {
    res.locals['route'] = pattern;
    next();
  };
}

/**
 * `flowline_queue_jobs{queue,state}`, read from the queues at scrape time
 * (a gauge kept up to date between scrapes would be stale exactly when it
 * matters). A failed or slow read shows no samples and counts an error,
 * rather than failing the whole scrape. The registry collects metrics
 * concurrently, so both collect from one shared read: the error count a
 * scrape shows includes that scrape's own failure.
 */
function queueGauges(
  registers: Registry[],
  depths: () => Promise<Readonly<Record<string, QueueDepth>>>,
  timeoutMs: number,
): void {
  let pending: Promise<Readonly<Record<string, QueueDepth>> | undefined> | undefined;
  const read = () =>
    (pending ??= withDeadline(depths(), timeoutMs, 'reading the queue depths')
      .catch(() => {
        errors.inc();
        return undefined;
      })
      .finally(() => (pending = undefined)));
  const errors = new Counter({
    name: 'flowline_queue_depth_errors_total',
    help: 'Scrapes that could not read the queue depths (Redis unreachable or slow)',
    registers,
    async collect() {
      await read();
    },
  });
  const gauge: Gauge<'queue' | 'state'> = new Gauge({
    name: 'flowline_queue_jobs',
    help: 'Jobs in each queue, by state (waiting, prioritized, delayed, active, failed, completed)',
    labelNames: ['queue', 'state'],
    registers,
    async collect() {
      const current = await read();
      gauge.reset();
      for (const [queue, depth] of Object.entries(current ?? {})) {
        for (const state of DEPTH_STATES) gauge.set({ queue, state }, depth[state]);
      }
    },
  });
}
