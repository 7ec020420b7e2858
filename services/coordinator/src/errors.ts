import { FlowlineError, type SecretMasker, errorMessage } from '@flowline/core';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

import { ApiError } from './api-error.js';
import type { ApiLog } from './api-log.js';

/**
 * HTTP status by error code: every FlowlineError the API, the cluster or a
 * store raises on purpose lands here (ClusterControl lists the cluster's).
 * Anything else is a 500.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  bad_request: 400,
  invalid_workflow: 400,
  invalid_inputs: 400,
  invalid_idempotency_key: 400,
  // In a request body (`retry {from}`); an unknown step in a URL is an ApiError 404.
  unknown_step: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_run: 404,
  unknown_dead_letter: 404,
  unknown_workflow: 404,
  run_running: 409,
  run_finished: 409,
  nothing_to_retry: 409,
  idempotency_key_reused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
};

/** body-parser's error types (`err.type`), which arrive as plain errors with a status. */
const BODY_ERRORS: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'the request body is too large' },
  'entity.parse.failed': { status: 400, code: 'bad_request', message: 'the request body is not valid JSON' },
  'encoding.unsupported': { status: 415, code: 'unsupported_media_type', message: 'unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', message: 'unsupported charset' },
  'request.aborted': { status: 400, code: 'bad_request', message: 'the request was aborted' },
  'request.size.invalid': { status: 400, code: 'bad_request', message: 'the body does not match Content-Length' },
};

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** Writes the API's one error shape. */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): void {
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  res.status(status).json(body);
}

/**
 * The one place errors become responses: `{"error":{"code","message","details"}}`.
 * A deliberate error keeps its code, message and details (masked); a
 * retryable one (Redis or the state store briefly unreachable) is a 503
 * that says to try again; anything else is logged and answered with a
 * generic 500, since its message may hold internals.
 */
export function errorMiddleware(log: ApiLog, masker: SecretMasker): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const body = bodyParserError(error);
    if (body !== undefined) return sendError(res, body.status, body.code, body.message);
    const status = statusOf(error);
    if (error instanceof FlowlineError && status !== undefined) {
      const details = error.details === undefined ? undefined : masker.value(error.details);
      return sendError(res, status, error.code, masker.text(error.message), details);
    }
    const message = masker.text(errorMessage(error));
    if (error instanceof FlowlineError && error.retryable) {
      log({ level: 'warn', message: `${req.method} ${req.path}: ${message}`, code: error.code });
      res.setHeader('Retry-After', '1');
      return sendError(res, 503, 'unavailable', 'a backing service is unavailable; try again');
    }
    const stack = error instanceof Error && error.stack !== undefined ? masker.text(error.stack) : undefined;
    log({
      level: 'error',
      message: `${req.method} ${req.path}: ${message}`,
      ...(stack === undefined ? {} : { stack }),
    });
    sendError(res, 500, 'internal', 'internal error; the coordinator logged it');
  };
}

/** The last handler: a path (or method) no route serves. */
export const notFound: RequestHandler = (req, res) => {
  sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`);
};

function statusOf(error: unknown): number | undefined {
  if (error instanceof ApiError) return error.status;
  if (error instanceof FlowlineError) return STATUS_BY_CODE[error.code];
  return undefined;
}

function bodyParserError(error: unknown): { status: number; code: string; message: string } | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error) || typeof error.type !== 'string') {
    return undefined;
  }
  const known = BODY_ERRORS[error.type];
  if (known === undefined) return undefined;
  if (error.type !== 'entity.too.large' || !('limit' in error) || typeof error.limit !== 'number') return known;
  return { ...known, message: `the request body is larger than the limit of ${error.limit} bytes` };
}
