import { createServer } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { StepOutcome } from '@flowline/engine';

import { listen, json, redirect, startTestServer, type TestServer } from './test-support/test-server.js';
import { webhookContext, webhookStep } from './test-support/webhook-context.js';
import { webhookExecutor } from './webhook-executor.js';

let server: TestServer;
const local = () => webhookContext('127.0.0.1');

beforeAll(async () => {
  server = await startTestServer({
    '/echo': (request, response) =>
      response
        .writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'x-seen-method': request.method })
        .end(
          JSON.stringify({
            method: request.method,
            type: request.headers['content-type'],
            got: JSON.parse(request.body || 'null') as unknown,
          }),
        ),
    '/text': (_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('plain ok'),
    '/bad-json': (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{oops'),
    '/accepted': json(202, { queued: true }),
    '/not-found': json(404, { error: 'nope' }),
    '/busy': json(503, { error: 'busy' }, { 'retry-after': '2' }),
    '/slow-down': json(429, {}, { 'retry-after': 'soon' }),
    '/big': (_request, response) =>
      response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5000' }).end('x'.repeat(5000)),
    '/big-chunked': (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('y'.repeat(3000));
      response.end('y'.repeat(3000));
    },
    '/to-echo': redirect(302, '/echo'),
    '/to-echo-307': redirect(307, '/echo'),
    '/to-metadata': redirect(302, 'http://169.254.169.254/latest/meta-data/'),
    '/to-file': redirect(302, 'file:///etc/passwd'),
    '/loop': redirect(302, '/loop'),
    '/hang': () => undefined,
  });
});
afterAll(() => server.close());

function failure(outcome: StepOutcome) {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

describe('webhook executor: requests and responses', () => {
  it('sends a JSON body as JSON and parses a JSON answer', async () => {
    const context = local();
    const step = webhookStep(server.url('/echo'), {
      body: { repo: 'r', n: [1, 2] },
      headers: { 'X-Token': 'secret-value' },
    });
    const outcome = await webhookExecutor.execute(step, context);
    expect(outcome).toEqual({
      ok: true,
      outputs: {
        status_code: 201,
        headers: expect.objectContaining({
          'content-type': 'application/json; charset=utf-8',
          'x-seen-method': 'POST',
        }),
        body: { method: 'POST', type: 'application/json', got: { repo: 'r', n: [1, 2] } },
      },
    });
    const seen = server.requests.at(-1)!;
    expect(seen.headers['x-token']).toBe('secret-value');
    expect(seen.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(seen.headers['content-length']).toBe(String(seen.body.length));
    expect(context.logs).toEqual([`webhook: POST ${server.url('/echo')} (127.0.0.1)\n`, 'webhook: 201 Created\n']);
    expect(context.logs.join('')).not.toContain('secret-value');
  });

  it('sends a string body as text and returns a text answer as a string', async () => {
    const outcome = await webhookExecutor.execute(webhookStep(server.url('/text'), { body: 'hello' }), local());
    expect(outcome).toMatchObject({ ok: true, outputs: { status_code: 200, body: 'plain ok' } });
    expect(server.requests.at(-1)).toMatchObject({
      body: 'hello',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  });

  it('keeps a body labelled JSON that does not parse as text', async () => {
    const outcome = await webhookExecutor.execute(webhookStep(server.url('/bad-json'), { method: 'GET' }), local());
    expect(outcome).toMatchObject({ ok: true, outputs: { body: '{oops' } });
  });

  it('sends no body when there is none, and reads no body for HEAD', async () => {
    const outcome = await webhookExecutor.execute(
      webhookStep(server.url('/big'), { method: 'HEAD', maxResponseBytes: 10 }),
      local(),
    );
    expect(outcome).toMatchObject({
      ok: true,
      outputs: { status_code: 200, body: '', headers: { 'content-length': '5000' } },
    });
    expect(server.requests.at(-1)).toMatchObject({ method: 'HEAD', body: '' });
  });

  it('fails non-retryably when the status is not in expect_status, keeping the outputs', async () => {
    const outcome = await webhookExecutor.execute(
      webhookStep(server.url('/accepted'), { expectStatus: [200, 201] }),
      local(),
    );
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'http_status',
        message: `POST ${server.url('/accepted')} answered 202 Accepted; expected 200, 201`,
        retryable: false,
      },
      outputs: expect.objectContaining({ status_code: 202, body: { queued: true } }),
    });
  });

  it('fails non-retryably on a 4xx when any 2xx is expected, and succeeds on it when listed', async () => {
    expect(failure(await webhookExecutor.execute(webhookStep(server.url('/not-found')), local()))).toEqual({
      code: 'http_status',
      message: `POST ${server.url('/not-found')} answered 404 Not Found; expected a 2xx status`,
      retryable: false,
    });
    const listed = await webhookExecutor.execute(
      webhookStep(server.url('/not-found'), { expectStatus: [404] }),
      local(),
    );
    expect(listed).toMatchObject({ ok: true, outputs: { status_code: 404 } });
  });

  it('makes a 503 retryable, after at least its Retry-After', async () => {
    expect(failure(await webhookExecutor.execute(webhookStep(server.url('/busy')), local()))).toEqual({
      code: 'http_status',
      message: `POST ${server.url('/busy')} answered 503 Service Unavailable; expected a 2xx status`,
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it('makes a 429 retryable, ignoring a malformed Retry-After', async () => {
    const error = failure(await webhookExecutor.execute(webhookStep(server.url('/slow-down')), local()));
    expect(error).toMatchObject({ code: 'http_status', retryable: true });
    expect(error).not.toHaveProperty('retryAfterMs');
  });

  it('fails non-retryably when the body exceeds max_response_size, by Content-Length or while streaming', async () => {
    const declared = failure(
      await webhookExecutor.execute(webhookStep(server.url('/big'), { maxResponseBytes: 1024 }), local()),
    );
    expect(declared).toEqual({
      code: 'response_too_large',
      message: 'the response is larger than max_response_size (1 KiB): its Content-Length is 4.9 KiB',
      retryable: false,
    });
    const streamed = failure(
      await webhookExecutor.execute(webhookStep(server.url('/big-chunked'), { maxResponseBytes: 4096 }), local()),
    );
    expect(streamed).toEqual({
      code: 'response_too_large',
      message: 'the response is larger than max_response_size (4 KiB): more than 4 KiB arrived',
      retryable: false,
    });
  });

  it('refuses a URL that is not http(s) or not a URL', async () => {
    expect(failure(await webhookExecutor.execute(webhookStep('ftp://example.com/x'), local()))).toEqual({
      code: 'bad_url',
      message: 'ftp: URLs are not allowed: a webhook URL is http or https',
      retryable: false,
    });
    expect(failure(await webhookExecutor.execute(webhookStep('not a url'), local()))).toMatchObject({
      code: 'bad_url',
      retryable: false,
    });
  });
});

describe('webhook executor: redirects', () => {
  it('follows a 302 to another allowed path as a GET without the body', async () => {
    const before = server.requests.length;
    const context = local();
    const outcome = await webhookExecutor.execute(webhookStep(server.url('/to-echo'), { body: { a: 1 } }), context);
    expect(outcome).toMatchObject({ ok: true, outputs: { status_code: 201, body: { method: 'GET', got: null } } });
    expect(server.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /to-echo', 'GET /echo']);
    expect(context.logs).toEqual([
      `webhook: POST ${server.url('/to-echo')} (127.0.0.1)\n`,
      'webhook: 302 Found\n',
      `webhook: GET ${server.url('/echo')} (127.0.0.1)\n`,
      'webhook: 201 Created\n',
    ]);
  });

  it('repeats method and body on a 307', async () => {
    const outcome = await webhookExecutor.execute(webhookStep(server.url('/to-echo-307'), { body: { a: 1 } }), local());
    expect(outcome).toMatchObject({ ok: true, outputs: { body: { method: 'POST', got: { a: 1 } } } });
  });

  it('does not follow a redirect the step expects', async () => {
    const outcome = await webhookExecutor.execute(
      webhookStep(server.url('/to-echo'), { expectStatus: [302] }),
      local(),
    );
    expect(outcome).toMatchObject({ ok: true, outputs: { status_code: 302, headers: { location: '/echo' } } });
  });

  it('refuses a redirect from the allowed server to the metadata address, before connecting', async () => {
    const error = failure(await webhookExecutor.execute(webhookStep(server.url('/to-metadata')), local()));
    expect(error).toEqual({
      code: 'egress_refused',
      message:
        'webhook refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32); list it in FLOWLINE_EGRESS_ALLOW to allow it',
      retryable: false,
    });
  });

  it('refuses a redirect to a file: URL', async () => {
    expect(failure(await webhookExecutor.execute(webhookStep(server.url('/to-file')), local()))).toMatchObject({
      code: 'bad_url',
      retryable: false,
    });
  });

  it('stops after five redirects', async () => {
    const before = server.requests.length;
    const error = failure(await webhookExecutor.execute(webhookStep(server.url('/loop')), local()));
    expect(error).toEqual({
      code: 'too_many_redirects',
      message: `GET ${server.url('/loop')}: more than 5 redirects`,
      retryable: false,
    });
    expect(server.requests.length - before).toBe(6);
  });
});

describe('webhook executor: the SSRF guard', () => {
  it.each([
    ['http://10.0.0.1/hook', 'webhook refused: 10.0.0.1 is a private address (10.0.0.0/8)'],
    [
      'http://169.254.169.254/latest/meta-data/',
      'webhook refused: 169.254.169.254 is the cloud metadata address (169.254.169.254/32)',
    ],
    ['http://[::ffff:127.0.0.1]/', 'webhook refused: ::ffff:7f00:1 is an IPv4-mapped address (::ffff:0:0/96)'],
    [
      'http://[fd00:ec2::254]/',
      'webhook refused: fd00:ec2::254 is the cloud metadata address (AWS) (fd00:ec2::254/128)',
    ],
    // The URL parser reads these spellings of 127.0.0.1; the guard sees the address they mean.
    ['http://2130706433/', 'webhook refused: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
    ['http://0x7f.1/', 'webhook refused: 127.0.0.1 is a loopback address (127.0.0.0/8)'],
  ])('refuses %s with no allow list, without connecting', async (url, message) => {
    const context = webhookContext();
    const error = failure(await webhookExecutor.execute(webhookStep(url), context));
    expect(error).toEqual({
      code: 'egress_refused',
      message: `${message}; list it in FLOWLINE_EGRESS_ALLOW to allow it`,
      retryable: false,
    });
    expect(context.logs).toEqual([]);
  });

  it('refuses localhost unless allowed, naming host and address, and opens no connection', async () => {
    const before = server.connections();
    const url = `http://localhost:${server.port}/text`;
    const error = failure(await webhookExecutor.execute(webhookStep(url), webhookContext()));
    expect(error.code).toBe('egress_refused');
    expect(error.message).toMatch(
      /^webhook refused: localhost resolves to (127\.0\.0\.1|::1), (a|the) loopback address/,
    );
    expect(server.connections()).toBe(before);
    const allowed = await webhookExecutor.execute(webhookStep(url), webhookContext('localhost'));
    expect(allowed).toMatchObject({ ok: true, outputs: { body: 'plain ok' } });
    expect(server.requests.at(-1)?.headers.host).toBe(`localhost:${server.port}`);
  });

  it('refuses the loopback server itself when the allow list does not cover it', async () => {
    const before = server.connections();
    const error = failure(
      await webhookExecutor.execute(webhookStep(server.url('/text')), webhookContext('10.0.0.0/8, example.com')),
    );
    expect(error.code).toBe('egress_refused');
    expect(server.connections()).toBe(before);
  });

  it('does not let the IPv4-mapped form of an allowed address through', async () => {
    const error = failure(
      await webhookExecutor.execute(webhookStep(`http://[::ffff:127.0.0.1]:${server.port}/text`), local()),
    );
    expect(error.message).toBe(
      'webhook refused: ::ffff:7f00:1 is an IPv4-mapped address (::ffff:0:0/96); list it in FLOWLINE_EGRESS_ALLOW to allow it',
    );
  });
});

describe('webhook executor: failures on the way', () => {
  it('reports a refused connection as a retryable network error', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const error = failure(await webhookExecutor.execute(webhookStep(`http://127.0.0.1:${port}/`), local()));
    expect(error).toMatchObject({ code: 'network_error', retryable: true });
    expect(error.message).toMatch(new RegExp(`^POST http://127.0.0.1:${port}/ failed: .*ECONNREFUSED`));
  });

  it('times out by itself at the step timeout, retryably', async () => {
    const error = failure(await webhookExecutor.execute(webhookStep(server.url('/hang'), { timeoutMs: 200 }), local()));
    expect(error).toEqual({
      code: 'timeout',
      message: `POST ${server.url('/hang')}: no response within the step's timeout (200ms)`,
      retryable: true,
    });
  });

  it('ends with timeout when the driver aborts the attempt for its timeout', async () => {
    const context = local();
    const count = server.requests.length;
    const pending = webhookExecutor.execute(webhookStep(server.url('/hang')), context);
    await server.received(count + 1);
    context.controller.abort('timeout');
    expect(failure(await pending)).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('ends with cancelled, not retryable, when the attempt is cancelled', async () => {
    const context = local();
    const count = server.requests.length;
    const pending = webhookExecutor.execute(webhookStep(server.url('/hang')), context);
    await server.received(count + 1);
    context.controller.abort('cancelled');
    expect(failure(await pending)).toEqual({ code: 'cancelled', message: 'cancelled', retryable: false });
  });

  it('refuses a header value Node will not send, non-retryably', async () => {
    const step = webhookStep(server.url('/text'), { headers: { 'x-bad': 'a\r\nInjected: yes' } });
    expect(failure(await webhookExecutor.execute(step, local()))).toMatchObject({
      code: 'bad_request',
      retryable: false,
    });
  });
});
