import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { errorMessage } from '@flowline/core';

import { type AssistantMessage, assistantMessage, writeMessageStream } from './scripted-messages.js';
import type { RecordedRequest, ScriptStep } from './scripted-script.js';

export type {
  RecordedRequest,
  ScriptStep,
  ScriptedBlock,
  ScriptedError,
  ScriptedReply,
  ScriptedTurn,
  ScriptedUsage,
} from './scripted-script.js';

export interface ScriptedModelServer {
  /** The base URL for ANTHROPIC_BASE_URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every request received (model calls, probes, anything else), in order. */
  readonly requests: readonly RecordedRequest[];
  /** Model calls (POST /v1/messages) only. */
  readonly modelRequests: readonly RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local server speaking enough of the Anthropic Messages API for the
 * Claude Code CLI to run offline: each POST /v1/messages consumes the next
 * turn of the script, streamed as server-sent events when the request asks
 * for `stream` (the CLI always does), else as one JSON message. Once the
 * script is spent it answers 400 `invalid_request_error` (not retried by
 * clients), so a run that asks for more turns than scripted fails loudly.
 *
 * Besides model calls the CLI sends `HEAD /` as a reachability probe (200)
 * and may count tokens (`POST /v1/messages/count_tokens`, answered with an
 * estimate). Anything else is a 404 `not_found_error`, and recorded.
 */
export async function startScriptedModelServer(script: readonly ScriptStep[]): Promise<ScriptedModelServer> {
  const requests: RecordedRequest[] = [];
  let next = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const base = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: parseJson(raw) };
    const route = routeOf(base.method, base.path);
    if (route !== 'messages') {
      requests.push(base);
      return answerOther(route, raw, res);
    }
    const turn = next++;
    const recorded: RecordedRequest = { ...base, turn };
    requests.push(recorded);
    await answerMessages(script[turn], recorded, raw, res);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, 500, 'api_error', errorMessage(error)));
  });
  const url = await listen(server);
  return {
    url,
    requests,
    get modelRequests() {
      return requests.filter((request) => request.turn !== undefined);
    },
    close: () => closeServer(server),
  };
}

type Route = 'messages' | 'count_tokens' | 'probe' | 'unknown';

function routeOf(method: string, path: string): Route {
  const pathname = path.split('?')[0];
  if (method === 'POST' && pathname === '/v1/messages') return 'messages';
  if (method === 'POST' && pathname === '/v1/messages/count_tokens') return 'count_tokens';
  if ((method === 'HEAD' || method === 'GET') && pathname === '/') return 'probe';
  return 'unknown';
}

function answerOther(route: Exclude<Route, 'messages'>, raw: string, res: ServerResponse): void {
  if (route === 'probe') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end();
  } else if (route === 'count_tokens') {
    sendJson(res, 200, { input_tokens: estimateTokens(raw) });
  } else {
    sendError(res, 404, 'not_found_error', 'the scripted model server serves POST /v1/messages only');
  }
}

async function answerMessages(
  step: ScriptStep | undefined,
  request: RecordedRequest,
  raw: string,
  res: ServerResponse,
): Promise<void> {
  const turnNumber = (request.turn ?? 0) + 1;
  if (step === undefined) {
    return sendError(res, 400, 'invalid_request_error', `scripted model: no turn ${turnNumber} in the script`);
  }
  const turn = typeof step === 'function' ? await step(request) : step;
  if ('status' in turn) return sendError(res, turn.status, turn.error.type, turn.error.message, turn.retryAfterSeconds);
  const message = assistantMessage(turn, request, estimateTokens(raw));
  if (isStreaming(request.body)) writeMessageStream(res, message);
  else sendJson(res, 200, message satisfies AssistantMessage);
}

function isStreaming(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'stream' in body && body.stream === true;
}

/** Roughly four bytes a token, the usual rule of thumb: realistic enough for cost and budget tests. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(text) / 4));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId() });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, type: string, message: string, retryAfter?: number): void {
  if (res.headersSent) return void res.destroy();
  if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
  sendJson(res, status, { type: 'error', error: { type, message } });
}

let requestCounter = 0;
function requestId(): string {
  return `req_scripted_${++requestCounter}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  // The CLI keeps connections alive; a held-back turn may still be open.
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
