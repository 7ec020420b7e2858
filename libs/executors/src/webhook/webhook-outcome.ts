import type { IncomingHttpHeaders } from 'node:http';

import { FlowlineError, errorMessage, formatDuration } from '@flowline/core';
import type { RenderedWebhook, StepError, StepOutcome } from '@flowline/engine';

import { parseRetryAfter } from './retry-after.js';

/** What came back from the last hop, body read. */
export interface WebhookResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/**
 * Success when the status is expected (`expect_status`, else any 2xx).
 * Otherwise `http_status`, retryable for 408, 429 and 5xx (the server's
 * trouble, or its request to slow down), with the server's Retry-After.
 * Outputs are kept either way, for `continue_on_error` steps to read.
 */
export function responseOutcome(
  step: RenderedWebhook,
  request: string,
  response: WebhookResponse,
  nowMs: number,
): StepOutcome {
  const outputs = { status_code: response.status, headers: response.headers, body: response.body };
  if (isExpected(step.expectStatus, response.status)) return { ok: true, outputs };
  const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
  const retryAfterMs = retryable ? parseRetryAfter(response.headers['retry-after'], nowMs) : undefined;
  const expected = step.expectStatus?.join(', ') ?? 'a 2xx status';
  const message = `${request} answered ${statusLine(response)}; expected ${expected}`;
  const error: StepError = { code: 'http_status', message, retryable };
  return { ok: false, outputs, error: retryAfterMs === undefined ? error : { ...error, retryAfterMs } };
}

export function statusLine(response: Pick<WebhookResponse, 'status' | 'statusText'>): string {
  return response.statusText === '' ? String(response.status) : `${response.status} ${response.statusText}`;
}

export function isExpected(expectStatus: readonly number[] | undefined, status: number): boolean {
  return expectStatus === undefined ? status >= 200 && status <= 299 : expectStatus.includes(status);
}

/**
 * The outcome of an attempt that got no usable response. Cancellation and
 * timeout are read from the signal, whatever error the abort surfaced as.
 */
export function failureOutcome(
  error: unknown,
  signal: AbortSignal,
  step: RenderedWebhook,
  request: string,
): StepOutcome {
  return { ok: false, error: stepError(error, signal, step, request) };
}

function stepError(error: unknown, signal: AbortSignal, step: RenderedWebhook, request: string): StepError {
  if (signal.aborted && signal.reason === 'cancelled')
    return { code: 'cancelled', message: 'cancelled', retryable: false };
  if (signal.aborted) {
    const message = `${request}: no response within the step's timeout (${formatDuration(step.timeoutMs)})`;
    return { code: 'timeout', message, retryable: true };
  }
  if (error instanceof FlowlineError) return { code: error.code, message: error.message, retryable: error.retryable };
  const code = errorCode(error);
  // A certificate that is expired, self-signed or for another name will not fix itself before a retry.
  const message = `${request} failed: ${describeError(error, code)}`;
  if (/CERT|TLS|SSL/.test(code)) return { code: 'tls_error', message, retryable: false };
  // Node refuses to send a header it considers malformed (a CR or LF in a value): the same step fails the same way.
  if (code.startsWith('ERR_INVALID') || code.startsWith('ERR_HTTP_INVALID')) {
    return { code: 'bad_request', message, retryable: false };
  }
  return { code: 'network_error', message, retryable: true };
}

function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : '';
}

function describeError(error: unknown, code: string): string {
  const message = errorMessage(error);
  return code === '' || message.includes(code) ? message : `${message} (${code})`;
}

/** Response headers with lower-case names; a repeated header's values joined with ", ". */
export function headerRecord(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The body as JSON when the content type says JSON and it parses; else as UTF-8 text. */
export function decodeBody(bytes: Buffer, contentType: string | undefined): unknown {
  const text = bytes.toString('utf8');
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!(mime === 'application/json' || mime.endsWith('+json')) || text.trim() === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // a server that mislabels its body should not fail the step
  }
}
