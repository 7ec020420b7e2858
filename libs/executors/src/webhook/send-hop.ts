import type { LookupAddress } from 'node:dns';
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

import type { Hop } from './hop.js';
import { hostOf } from './resolve-target.js';

/**
 * Sends `hop` to one of the vetted `addresses` and resolves with the
 * response once its head has arrived. The request still names the host, so
 * the Host header, TLS SNI and certificate check use the host name; only
 * the lookup is replaced. No agent: a pooled socket could have been opened
 * to an address vetted for another request.
 */
export function sendHop(hop: Hop, addresses: readonly LookupAddress[], signal: AbortSignal): Promise<IncomingMessage> {
  const request = hop.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        protocol: hop.url.protocol,
        host: hostOf(hop.url),
        port: hop.url.port === '' ? undefined : Number(hop.url.port),
        path: `${hop.url.pathname}${hop.url.search}`,
        method: hop.method,
        headers: hop.headers,
        auth: userInfo(hop.url),
        agent: false,
        lookup: pinnedLookup(addresses),
        signal,
      },
      resolve,
    );
    outgoing.on('error', reject);
    outgoing.end(hop.body);
  });
}

/** A lookup that answers with the vetted addresses whatever it is asked. */
function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    // net asks for every address when it races families (autoSelectFamily), else for one.
    if (options.all === true) callback(null, [...addresses]);
    else callback(null, addresses[0]?.address ?? '', addresses[0]?.family ?? 4);
  };
}

function userInfo(url: URL): string | undefined {
  if (url.username === '' && url.password === '') return undefined;
  return `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
}
