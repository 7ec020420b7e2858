import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { openApiPath } from '../src/index.js';
import { type Fixture, TOKEN, startFixture } from './support/coordinator-fixture.js';

const HELLO = `version: 1
name: hello
steps:
  - id: greet
    type: shell
    run: echo hi
`;

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture({ workflows: { hello: HELLO } });
});

afterAll(async () => {
  await fx?.stop();
});

describe('auth', () => {
  it('refuses a request without a token with 401, a JSON error and a Bearer challenge', async () => {
    const response = await fx.api('/v1/runs', { token: null });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('refuses a wrong token, and a right token sent with another scheme', async () => {
    expect((await fx.api('/v1/runs', { token: `${TOKEN}x` })).status).toBe(401);
    const basic = Buffer.from(`user:${TOKEN}`).toString('base64');
    const response = await fx.api('/v1/runs', { token: null, headers: { authorization: `Basic ${basic}` } });
    expect(response.status).toBe(401);
  });

  it('accepts the right token', async () => {
    const response = await fx.api('/v1/runs');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ runs: [] });
  });

  it('checks the token before reading a body, so a stranger cannot make it parse one', async () => {
    const response = await fx.api('/v1/runs', { token: null, body: { workflow: 'hello' } });
    expect(response.status).toBe(401);
  });

  it('leaves the probes and /metrics open', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      expect((await fx.api(path, { token: null })).status).toBe(200);
    }
  });
});

describe('request limits and errors', () => {
  it('answers a body over the limit with 413 in the API error shape', async () => {
    const yaml = `${HELLO}# ${'x'.repeat(1024 * 1024)}\n`;
    const response = await fx.api('/v1/runs', { body: { yaml } });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('payload_too_large');
    expect(body.error.message).toContain(String(1024 * 1024));
  });

  it('answers a body that is not JSON with 415, and broken JSON with 400', async () => {
    const form = await fx.api('/v1/runs', { body: 'workflow=hello', headers: { 'content-type': 'text/plain' } });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
    const broken = await fx.api('/v1/runs', { body: '{"workflow": ' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('bad_request');
  });

  it('names an unknown field instead of ignoring it', async () => {
    const response = await fx.api('/v1/runs', { body: { workflow: 'hello', input: { a: 1 } } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_request', details: { fields: ['input'] } } });
  });

  it('answers an unknown path with a JSON 404', async () => {
    const response = await fx.api('/v1/nothing');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers an unknown run with 404 unknown_run, also for ids no store could hold', async () => {
    for (const id of ['r-0000', '..%2F..%2Fetc']) {
      const response = await fx.api(`/v1/runs/${id}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'unknown_run' } });
    }
  });
});

describe('metrics', () => {
  it('shows the queue depths per queue and state, and requests by route pattern, never by id', async () => {
    await fx.api('/v1/runs/r-some-id-that-is-not-a-label');
    const response = await fx.api('/metrics', { token: null });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^flowline_queue_jobs\{queue="shell",state="waiting"\} \d+$/m);
    expect(text).toMatch(/^flowline_queue_jobs\{queue="reports",state="active"\} \d+$/m);
    expect(text).toContain('route="/v1/runs/{id}"');
    expect(text).not.toContain('r-some-id-that-is-not-a-label');
    expect(text).toMatch(/^flowline_coordinator_process_cpu_seconds_total /m);
  });
});

describe('OpenAPI document', () => {
  interface Document {
    openapi: string;
    paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
  }

  it('documents every route express serves, and routes every documented path', async () => {
    const response = await fx.api('/v1/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as Document;
    expect(document.openapi).toBe('3.1.0');
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(new Set(documented)).toEqual(new Set(servedRoutes(fx.service.app)));
    expect(documented).toContain('POST /v1/runs:plan');
    expect(documented.length).toBeGreaterThanOrEqual(16);
  });

  it('marks the open routes as needing no token and the others as answering 401', async () => {
    const document = (await (await fx.api('/v1/openapi.json')).json()) as Document;
    expect(document.paths['/healthz']?.['get']?.security).toEqual([]);
    expect(document.paths['/v1/runs']?.['post']?.responses).toHaveProperty('401');
  });

  it('has every $ref resolve to a component schema, and an operationId per operation', async () => {
    const document = (await (await fx.api('/v1/openapi.json')).json()) as Document & {
      components: { schemas: Record<string, unknown> };
    };
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([A-Za-z]+)"$/.exec(ref)?.[1];
      expect(name !== undefined && name in document.components.schemas ? ref : `unresolved ${ref}`).toBe(ref);
    }
    const ids = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).map((operation) => (operation as { operationId?: string }).operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
  });

  it('is itself behind the token', async () => {
    expect((await fx.api('/v1/openapi.json', { token: null })).status).toBe(401);
  });
});

describe('bull-board', () => {
  it('answers 200 with the token, 401 with a Basic challenge without it', async () => {
    const withToken = await fx.api('/admin/queues');
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain('<html');
    const without = await fx.api('/admin/queues', { token: null });
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toMatch(/^Basic /);
  });

  it('accepts the token as a Basic password, which a browser can send with every asset', async () => {
    const basic = Buffer.from(`anyone:${TOKEN}`).toString('base64');
    const response = await fx.api('/admin/queues/api/queues', {
      token: null,
      headers: { authorization: `Basic ${basic}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(body.queues.map((queue) => queue.name)).toEqual(expect.arrayContaining(['shell', 'reports']));
    expect(body.queues.every((queue) => queue.readOnlyMode)).toBe(true);
  });
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  rawPath?: unknown;
  handle: { stack?: Layer[] };
}

/** `METHOD /path` of every route in the app's router, with paths in OpenAPI form. */
function servedRoutes(app: Fixture['service']['app']): string[] {
  const stack = (app.router as unknown as { stack: Layer[] }).stack;
  return stack.flatMap((layer) =>
    layer.route === undefined
      ? []
      : Object.keys(layer.route.methods)
          .filter((method) => method !== '_all')
          .map((method) => `${method.toUpperCase()} ${openApiPath(layer.route!.path)}`),
  );
}
