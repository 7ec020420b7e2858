import { afterEach, describe, expect, it } from '@jest/globals';

import { newRun, started } from '../../ports/src/test-support/fixtures.js';
import { type DynaliteServer, startDynalite } from '../../test-servers/src/dynalite.js';
import { type DynamoDbState, openDynamoDbState } from './dynamodb-state.js';
import type { DynamoDbStateOptions } from './dynamodb-state-options.js';

const servers: DynaliteServer[] = [];
const states: DynamoDbState[] = [];

afterEach(async () => {
  for (const state of states.splice(0)) state.close();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** Its own server per test, so the test can kill or freeze it; a persistent one, so a restart keeps the table. */
async function start(overrides: Partial<DynamoDbStateOptions> = {}) {
  const server = await startDynalite({ persistent: true });
  servers.push(server);
  const { endpoint, region, credentials } = server;
  const state = await openDynamoDbState({ tableName: 'runs', endpoint, region, credentials, init: true, ...overrides });
  states.push(state);
  return { server, state };
}

/** Every operation of both stores, each expected to fail the same way. */
function everyOperation(state: DynamoDbState, runId: string): Record<string, () => Promise<unknown>> {
  const { runs, logs } = state;
  const record = { ...newRun({ runId }), version: 1 };
  return {
    create: () => runs.create(newRun()),
    get: () => runs.get(runId),
    update: () => runs.update(record, { status: 'failed' }),
    appendEvents: () => runs.appendEvents(runId, 0, [started('a')]),
    readEvents: () => runs.readEvents(runId),
    list: () => runs.list(),
    logAppend: () => logs.append(runId, 'a', 1, 'line\n'),
    logRead: () => logs.read(runId),
    ping: () => state.ping(),
  };
}

async function outcome(call: () => Promise<unknown>): Promise<{ code?: unknown; retryable?: unknown }> {
  try {
    await call();
    return { code: 'succeeded' };
  } catch (error) {
    const { code, retryable } = error as { code?: unknown; retryable?: unknown };
    return { code, retryable };
  }
}

describe('DynamoDB unavailable', () => {
  it('a killed server: every operation fails at once with a retryable state_unavailable; a restart heals', async () => {
    const { server, state } = await start();
    const { runId } = await state.runs.create(newRun());
    await server.kill();
    const began = performance.now();
    for (const [name, call] of Object.entries(everyOperation(state, runId))) {
      expect({ name, ...(await outcome(call)) }).toEqual({ name, code: 'state_unavailable', retryable: true });
    }
    // Refused connections, retried twice with the SDK's backoff: well under a second per operation.
    expect(performance.now() - began).toBeLessThan(9 * 1000);
    await server.restart();
    expect(await state.runs.get(runId)).toMatchObject({ runId, version: 1 });
  });

  it('a hung server: operations give up after the request timeout instead of hanging', async () => {
    const { server, state } = await start({ requestTimeoutMs: 200, maxAttempts: 2 });
    const { runId } = await state.runs.create(newRun());
    server.pause();
    const began = performance.now();
    expect(await outcome(() => state.runs.get(runId))).toEqual({ code: 'state_unavailable', retryable: true });
    expect(await outcome(() => state.runs.appendEvents(runId, 0, [started('a')]))).toEqual({
      code: 'state_unavailable',
      retryable: true,
    });
    expect(performance.now() - began).toBeLessThan(3000);
    server.resume();
    // The frozen server still holds the write it was sent, and may apply it when it wakes: a write that
    // timed out has an unknown outcome, never a double one.
    expect((await state.runs.readEvents(runId)).length).toBeLessThanOrEqual(1);
    expect(await state.runs.get(runId)).toMatchObject({ runId, version: 1 });
  });

  it('a missing table (init off) is a clear, non-retryable error naming the table and FLOWLINE_STATE_INIT', async () => {
    const { server } = await start();
    const { endpoint, region, credentials } = server;
    const state = await openDynamoDbState({ tableName: 'no-such-table', endpoint, region, credentials });
    states.push(state);
    const error = (await state.runs.get('r1').catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('state_table_missing');
    expect(error.message).toBe(
      `DynamoDB table "no-such-table" does not exist at ${endpoint}; create it, or start with FLOWLINE_STATE_INIT=true`,
    );
    expect(await outcome(() => state.ping())).toEqual({ code: 'state_table_missing', retryable: false });
  });
});
