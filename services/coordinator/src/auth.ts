import { createHash, timingSafeEqual } from 'node:crypto';

import { ValidationError } from '@flowline/core';
import type { RequestHandler } from 'express';

import { sendError } from './errors.js';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** How a token is stored: `sha256:` and the hex SHA-256 of the token. */
export function tokenDigest(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/**
 * Checks the configured digests once, at start: a typo there must stop the
 * service, not lock every client out at the first request.
 */
export function parseTokenDigests(digests: readonly string[]): readonly Buffer[] {
  if (digests.length === 0) {
    throw new ValidationError('no_api_tokens', 'no API token digests are configured: the API would refuse everyone');
  }
  return digests.map((digest, index) => {
    const hex = DIGEST.exec(digest)?.[1];
    if (hex === undefined) {
      // The entry itself is not echoed: it might be a plain token pasted by mistake.
      throw new ValidationError(
        'invalid_token_digest',
        `API token digest #${index + 1} is not "sha256:" and 64 hex digits`,
      );
    }
    return Buffer.from(hex, 'hex');
  });
}

export interface AuthOptions {
  /**
   * Also accept HTTP Basic with the token as the password, and ask for it:
   * a browser then prompts once and sends it with every asset and XHR of the
   * page (bull-board), which it cannot do for a Bearer header.
   */
  readonly allowBasic?: boolean;
}

/**
 * Bearer-token auth: the token's SHA-256 is compared with every stored
 * digest in constant time (no early exit), so neither the tokens nor their
 * digests are kept in memory in plain and timing says nothing about them.
 */
export function requireToken(digests: readonly Buffer[], options: AuthOptions = {}): RequestHandler {
  const challenge = options.allowBasic === true ? 'Basic realm="flowline", charset="UTF-8"' : 'Bearer realm="flowline"';
  return (req, res, next) => {
    const token = tokenOf(req.headers.authorization, options.allowBasic === true);
    if (token !== undefined && matches(digests, token)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', challenge);
    const message =
      token === undefined ? 'an Authorization: Bearer <token> header is required' : 'the token is not valid';
    sendError(res, 401, 'unauthorized', message);
  };
}

function tokenOf(header: string | undefined, allowBasic: boolean): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(\S+)\s+(\S+)\s*$/.exec(header);
  if (match === null) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'bearer') return match[2];
  if (scheme !== 'basic' || !allowBasic) return undefined;
  const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

function matches(digests: readonly Buffer[], token: string): boolean {
  const given = createHash('sha256').update(token, 'utf8').digest();
  let found = false;
  for (const digest of digests) found = timingSafeEqual(given, digest) || found;
  return found;
}
