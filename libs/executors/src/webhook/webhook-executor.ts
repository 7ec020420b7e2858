import type { IncomingMessage } from 'node:http';

import { FlowlineError } from '@flowline/core';
import type { RenderedWebhook, StepOutcome } from '@flowline/engine';

import type { ExecutionContext, Executor } from '../executor.js';
import { attemptSignal } from './attempt-signal.js';
import { type Hop, describeUrl, firstHop } from './hop.js';
import { readBody } from './read-body.js';
import { REDIRECT_STATUSES, redirectHop } from './redirect-hop.js';
import { resolveTarget } from './resolve-target.js';
import { sendHop } from './send-hop.js';
import { decodeBody, failureOutcome, headerRecord, responseOutcome, statusLine } from './webhook-outcome.js';

/** As browsers and curl's common settings: enough for real chains, short enough to stop loops. */
export const MAX_REDIRECTS = 5;

/**
 * `webhook`: one HTTP request, redirects followed by hand so that every hop
 * passes the egress policy (the SSRF guard) and connects to exactly the
 * address that was checked. Outputs `status_code`, `headers`, `body`.
 */
export const webhookExecutor: Executor<RenderedWebhook> = {
  type: 'webhook',
  version: '1',
  async execute(step, context): Promise<StepOutcome> {
    const attempt = attemptSignal(context.signal, step.timeoutMs);
    const trail = { request: `${step.method} request` };
    try {
      return await call(step, context, attempt.signal, trail);
    } catch (error) {
      return failureOutcome(error, attempt.signal, step, trail.request);
    } finally {
      attempt.dispose();
    }
  },
};

/** `trail.request` names the request in flight, for the message of whatever goes wrong. */
async function call(
  step: RenderedWebhook,
  context: ExecutionContext,
  signal: AbortSignal,
  trail: { request: string },
): Promise<StepOutcome> {
  let hop = firstHop(step);
  for (let redirects = 0; ; redirects += 1) {
    trail.request = `${hop.method} ${describeUrl(hop.url)}`;
    const response = await exchange(hop, context, signal, trail.request);
    const location = redirectLocation(step, response);
    if (location === undefined) return finish(step, hop, response, trail.request);
    response.destroy();
    if (redirects === MAX_REDIRECTS) {
      throw new FlowlineError('too_many_redirects', `${trail.request}: more than ${MAX_REDIRECTS} redirects`);
    }
    hop = redirectHop(hop, response.statusCode ?? 0, location);
  }
}

async function exchange(
  hop: Hop,
  context: ExecutionContext,
  signal: AbortSignal,
  request: string,
): Promise<IncomingMessage> {
  const addresses = await resolveTarget(hop.url, context.config.egress, signal);
  // Names and addresses only: header values may hold secrets.
  context.log('system', `webhook: ${request} (${addresses.map((a) => a.address).join(', ')})\n`);
  const response = await sendHop(hop, addresses, signal);
  context.log('system', `webhook: ${statusLine(statusOf(response))}\n`);
  return response;
}

/** Where to go next, when the response is a redirect the step did not list in `expect_status`. */
function redirectLocation(step: RenderedWebhook, response: IncomingMessage): string | undefined {
  const status = response.statusCode ?? 0;
  if (!REDIRECT_STATUSES.has(status) || step.expectStatus?.includes(status) === true) return undefined;
  return response.headers.location;
}

async function finish(
  step: RenderedWebhook,
  hop: Hop,
  response: IncomingMessage,
  request: string,
): Promise<StepOutcome> {
  // A HEAD response announces the Content-Length a GET would get, and has no body to read.
  const bytes = hop.method === 'HEAD' ? Buffer.alloc(0) : await readBody(response, step.maxResponseBytes);
  if (hop.method === 'HEAD') response.destroy();
  const headers = headerRecord(response.headers);
  const body = decodeBody(bytes, headers['content-type']);
  return responseOutcome(step, request, { ...statusOf(response), headers, body }, Date.now());
}

function statusOf(response: IncomingMessage): { status: number; statusText: string } {
  return { status: response.statusCode ?? 0, statusText: response.statusMessage ?? '' };
}
