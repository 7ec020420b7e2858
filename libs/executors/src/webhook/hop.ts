import { FlowlineError } from '@flowline/core';
import type { RenderedWebhook } from '@flowline/engine';

/** One HTTP request of a webhook call: the first one, or one after a redirect. */
export interface Hop {
  readonly url: URL;
  readonly method: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

const USER_AGENT = 'flowline-webhook/1';

/** The step's request: a string body is sent as text, any other value as JSON, undefined as none. */
export function firstHop(step: RenderedWebhook): Hop {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  for (const [name, value] of Object.entries(step.headers)) headers[name.toLowerCase()] = value;
  const body = encodeBody(step.body, headers);
  return { url: webhookUrl(step.url), method: step.method, headers, body };
}

/** Parses an http(s) URL, or throws a non-retryable `bad_url`. */
export function webhookUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new FlowlineError('bad_url', `"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FlowlineError('bad_url', `${url.protocol} URLs are not allowed: a webhook URL is http or https`);
  }
  return url;
}

/** The URL for logs and messages: no user info (a password) and no query string (often a token). */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function encodeBody(body: unknown, headers: Record<string, string>): Buffer | undefined {
  if (body === undefined) return undefined;
  const isText = typeof body === 'string';
  headers['content-type'] ??= isText ? 'text/plain; charset=utf-8' : 'application/json';
  const bytes = Buffer.from(isText ? body : JSON.stringify(body));
  // Always ours: a templated Content-Length that disagrees with the body would corrupt the exchange.
  headers['content-length'] = String(bytes.length);
  return bytes;
}
