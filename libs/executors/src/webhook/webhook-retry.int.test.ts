import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { RenderedWebhook } from '@flowline/engine';

import { compile, driveRun } from './test-support/drive-run.js';
import { json, startTestServer, type TestServer } from './test-support/test-server.js';
import { webhookContext } from './test-support/webhook-context.js';
import { webhookExecutor } from './webhook-executor.js';

let server: TestServer;
const calls: Record<string, number> = {};

/** Fails the first time with `status` (and Retry-After when given), then succeeds. */
function flaky(path: string, status: number, headers: Record<string, string>) {
  return {
    [path]: (...args: Parameters<ReturnType<typeof json>>) => {
      calls[path] = (calls[path] ?? 0) + 1;
      json(calls[path] === 1 ? status : 200, { call: calls[path] }, calls[path] === 1 ? headers : {})(...args);
    },
  };
}

beforeAll(async () => {
  server = await startTestServer({
    ...flaky('/busy', 503, { 'retry-after': '2' }),
    ...flaky('/plain', 500, {}),
  });
});
afterAll(() => server.close());

function notifyWorkflow(path: string) {
  return compile(`
name: notify
steps:
  - id: notify
    type: webhook
    url: "${server.url(path)}"
    body: { run: "{{run.id}}" }
    retry: { max_attempts: 3, backoff: fixed, initial_delay: 100ms, jitter: false }
`);
}

async function run(path: string) {
  const context = webhookContext('127.0.0.1');
  return driveRun(notifyWorkflow(path), (step) => webhookExecutor.execute(step as RenderedWebhook, context));
}

describe('webhook retries through the scheduler', () => {
  it('waits at least the Retry-After of a 503 before the next attempt, then succeeds', async () => {
    const { state, commands, outcomes } = await run('/busy');
    const retries = commands.filter((c) => c.type === 'schedule_retry');
    expect(retries).toEqual([{ type: 'schedule_retry', key: { step: 'notify' }, attempt: 2, delayMs: 2000 }]);
    expect(outcomes.map((o) => o.ok)).toEqual([false, true]);
    expect(outcomes[1]).toMatchObject({ ok: true, outputs: { status_code: 200, body: { call: 2 } } });
    expect(state.status).toBe('succeeded');
    expect(server.requests.filter((r) => r.path === '/busy').map((r) => r.body)).toEqual([
      '{"run":"run-1"}',
      '{"run":"run-1"}',
    ]);
  });

  it('uses the workflow backoff when the server names no delay', async () => {
    const { commands, state } = await run('/plain');
    expect(commands.filter((c) => c.type === 'schedule_retry')).toEqual([
      { type: 'schedule_retry', key: { step: 'notify' }, attempt: 2, delayMs: 100 },
    ]);
    expect(state.status).toBe('succeeded');
  });
});
