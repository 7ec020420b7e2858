import { FlowlineError, errorMessage } from '@flowline/core';

import type {
  DeadLetterFilter,
  DeadLetterJson,
  RunAcceptedJson,
  RunDetailJson,
  RunFilter,
  RunJson,
  RunRequestJson,
} from './api-types.js';

/** A request that gets no answer in this long is reported as an unreachable coordinator. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Anything that kept a request from succeeding. `status` is the HTTP status
 * of the coordinator's answer, undefined when there was none (code
 * `unreachable`); `code`, `message` and `details` are the API's own
 * (`{"error":{"code","message","details"}}`) when it sent them.
 */
export class CoordinatorError extends FlowlineError {
  constructor(
    readonly status: number | undefined,
    code: string,
    message: string,
    options: { readonly details?: Record<string, unknown>; readonly cause?: unknown } = {},
  ) {
    super(code, message, { ...options, retryable: status === undefined || status === 503 });
  }
}

export interface CoordinatorClientOptions {
  /** `http(s)://host:port`, optionally with a path prefix (a reverse proxy's). */
  readonly server: string;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token: string;
  readonly timeoutMs?: number;
}

interface Call {
  readonly method?: 'GET' | 'POST' | 'DELETE';
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The coordinator's HTTP API (docs/cli.md, `GET /openapi.json`) as typed
 * methods over fetch. Every failure is a CoordinatorError; nothing here
 * prints or decides exit statuses.
 */
export class CoordinatorClient {
  private readonly base: string;

  constructor(private readonly options: CoordinatorClientOptions) {
    this.base = options.server.replace(/\/+$/, '');
  }

  /** Starts a run; with an idempotency key, a repeat returns the run the first request made. */
  submitRun(body: RunRequestJson, idempotencyKey?: string): Promise<RunAcceptedJson> {
    const headers = idempotencyKey === undefined ? undefined : { 'idempotency-key': idempotencyKey };
    return this.json('/v1/runs', { method: 'POST', body, ...(headers === undefined ? {} : { headers }) });
  }

  getRun(runId: string): Promise<RunDetailJson> {
    return this.json(`/v1/runs/${segment(runId)}`);
  }

  async listRuns(filter: RunFilter): Promise<readonly RunJson[]> {
    const query = { status: filter.status, workflow: filter.workflow };
    return (await this.json<{ runs: RunJson[] }>('/v1/runs', { query })).runs;
  }

  cancelRun(runId: string): Promise<RunJson> {
    return this.json(`/v1/runs/${segment(runId)}/cancel`, { method: 'POST', body: {} });
  }

  retryRun(runId: string, from?: string): Promise<RunJson> {
    return this.json(`/v1/runs/${segment(runId)}/retry`, { method: 'POST', body: from === undefined ? {} : { from } });
  }

  /** A step's log (every attempt, masked) as text; `lint[2]` for a fan-out item. */
  async stepLog(runId: string, stepKey: string): Promise<string> {
    return (await this.send(`/v1/runs/${segment(runId)}/steps/${segment(stepKey)}/logs`, {})).text();
  }

  async listDeadLetters(filter: DeadLetterFilter): Promise<readonly DeadLetterJson[]> {
    const query = { run_id: filter.runId, workflow: filter.workflow, fingerprint: filter.fingerprint };
    return (await this.json<{ dead_letters: DeadLetterJson[] }>('/v1/dlq', { query })).dead_letters;
  }

  getDeadLetter(id: string): Promise<DeadLetterJson> {
    return this.json(`/v1/dlq/${segment(id)}`);
  }

  /** Resumes the letter's run from its step, with the given run inputs replaced first. */
  replayDeadLetter(id: string, inputs?: Readonly<Record<string, unknown>>): Promise<RunAcceptedJson> {
    return this.json(`/v1/dlq/${segment(id)}/replay`, { method: 'POST', body: inputs === undefined ? {} : { inputs } });
  }

  async purgeDeadLetter(id: string): Promise<void> {
    await this.send(`/v1/dlq/${segment(id)}`, { method: 'DELETE' });
  }

  private async json<T>(path: string, call: Call = {}): Promise<T> {
    const response = await this.send(path, call);
    try {
      return (await response.json()) as T;
    } catch (error) {
      throw new CoordinatorError(response.status, 'bad_response', `${this.base} answered with something not JSON`, {
        cause: error,
      });
    }
  }

  /** One request; any answer but a 2xx becomes a CoordinatorError. */
  private async send(path: string, call: Call): Promise<Response> {
    const url = new URL(`${this.base}${path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, ...call.headers };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let response: Response;
    try {
      response = await fetch(url, {
        method: call.method ?? 'GET',
        headers,
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new CoordinatorError(
        undefined,
        'unreachable',
        `cannot reach the coordinator at ${this.base}: ${why(error, timeoutMs)}`,
        {
          cause: error,
        },
      );
    }
    if (response.ok) return response;
    throw await errorOf(response);
  }
}

/** The API's error body, or a plain description of an answer that has none (a proxy's page, another server). */
async function errorOf(response: Response): Promise<CoordinatorError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const { code, message, details } = error as { code: unknown; message: unknown; details?: unknown };
    return new CoordinatorError(response.status, String(code), String(message), {
      ...(typeof details === 'object' && details !== null ? { details: details as Record<string, unknown> } : {}),
    });
  }
  const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
  return new CoordinatorError(response.status, `http_${response.status}`, `${status} from ${response.url}`);
}

/**
 * fetch's own message is "fetch failed"; the reason is in its cause
 * (ECONNREFUSED, ENOTFOUND). Read by shape, not instanceof: undici's errors
 * may come from another realm than this module's Error.
 */
function why(error: unknown, timeoutMs: number): string {
  if (hasName(error, 'TimeoutError')) return `no answer within ${timeoutMs / 1000} s`;
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  // localhost is tried as ::1 and 127.0.0.1 at once: every attempt failed, the first says why.
  const errors = (cause as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors) && errors.length > 0) cause = errors[0];
  const message = (cause as { message?: unknown } | undefined)?.message;
  if (typeof message !== 'string' || message === '') return errorMessage(error);
  const code = (cause as { code?: unknown }).code;
  return typeof code !== 'string' || message.includes(code) ? message : `${code}: ${message}`;
}

function hasName(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

function segment(value: string): string {
  return encodeURIComponent(value);
}
