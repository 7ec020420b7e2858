import { type Hop, webhookUrl } from './hop.js';

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Headers that survive a redirect to another origin. Flowline cannot tell
 * which of a step's headers is a credential (`X-Api-Key`, `X-Hub-Signature`),
 * so it keeps only these rather than hand a token to a host it was not meant for.
 */
const CROSS_ORIGIN_HEADERS = new Set(['accept', 'accept-language', 'content-type', 'content-length', 'user-agent']);

/**
 * The request after a redirect: 301, 302 and 303 become GET without a body
 * (HEAD stays HEAD), as browsers and curl do; 307 and 308 repeat the
 * request as it was. Throws `bad_url` for a Location that is not http(s).
 */
export function redirectHop(hop: Hop, status: number, location: string): Hop {
  const url = webhookUrl(location, hop.url);
  const headers = url.origin === hop.url.origin ? { ...hop.headers } : crossOriginHeaders(hop.headers);
  const dropBody = status <= 303 && hop.method !== 'HEAD';
  if (!dropBody) return { url, method: hop.method, headers, body: hop.body };
  delete headers['content-type'];
  delete headers['content-length'];
  return { url, method: 'GET', headers, body: undefined };
}

function crossOriginHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => CROSS_ORIGIN_HEADERS.has(name)));
}
