import { type LookupAddress, promises as dns } from 'node:dns';
import { isIP } from 'node:net';

import { FlowlineError, errorMessage } from '@flowline/core';

import { abortable } from './attempt-signal.js';
import type { EgressPolicy } from './egress-policy.js';

/**
 * The addresses `url`'s host resolves to, every one of them allowed by
 * `policy`; throws `egress_refused` if any is not. The caller connects to
 * these and only these: a second lookup could answer differently (DNS
 * rebinding) and reach an address nobody checked.
 */
export async function resolveTarget(url: URL, policy: EgressPolicy, signal: AbortSignal): Promise<LookupAddress[]> {
  const host = hostOf(url);
  const family = isIP(host);
  const addresses = family === 0 ? await lookupAll(host, signal) : [{ address: host, family }];
  for (const { address } of addresses) {
    const reason = policy.refusal(host, address);
    if (reason !== undefined) throw refused(host, address, reason);
  }
  return addresses;
}

/** The URL's host name, without the brackets of an IPv6 literal. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

async function lookupAll(host: string, signal: AbortSignal): Promise<LookupAddress[]> {
  try {
    return await abortable(dns.lookup(host, { all: true }), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    const code = (error as { code?: unknown }).code;
    // ENOTFOUND is an answer (no such name); anything else (EAI_AGAIN) is the resolver failing for now.
    throw new FlowlineError('dns_failed', `cannot resolve ${host}: ${errorMessage(error)}`, {
      retryable: code !== 'ENOTFOUND',
      cause: error,
    });
  }
}

function refused(host: string, address: string, reason: string): FlowlineError {
  const what = host === address ? `${address} is ${reason}` : `${host} resolves to ${address}, ${reason}`;
  return new FlowlineError('egress_refused', `webhook refused: ${what}; list it in FLOWLINE_EGRESS_ALLOW to allow it`, {
    details: { host, address, reason },
  });
}
