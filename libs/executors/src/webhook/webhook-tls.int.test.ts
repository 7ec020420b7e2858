import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { listen } from './test-support/test-server.js';
import { webhookContext, webhookStep } from './test-support/webhook-context.js';
import { webhookExecutor } from './webhook-executor.js';

let server: Server;
let port: number;
const serverNames: string[] = [];

/** A self-signed certificate for localhost, made by the real openssl. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'flowline-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'],
        ...['-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'],
        ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  const pair = selfSigned();
  const context = createSecureContext(pair);
  server = createServer(
    {
      ...pair,
      SNICallback: (name, done) => {
        serverNames.push(name);
        done(null, context);
      },
    },
    (_request, response) => response.end('secret page'),
  );
  port = await listen(server);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('webhook executor over https', () => {
  it('verifies the certificate (a self-signed one fails, not retryably) and sends the host name as SNI', async () => {
    const outcome = await webhookExecutor.execute(
      webhookStep(`https://localhost:${port}/`),
      webhookContext('localhost'),
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: 'tls_error', retryable: false } });
    expect(outcome.ok ? '' : outcome.error.message).toMatch(
      new RegExp(`^POST https://localhost:${port}/ failed: .*self.signed`),
    );
    expect(serverNames).toEqual(['localhost']);
  });
});
