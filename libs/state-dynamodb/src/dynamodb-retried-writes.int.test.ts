import { afterEach, describe, expect, it } from '@jest/globals';

import { finished, newRun, started } from '../../ports/src/test-support/fixtures.js';
import { openDynamoDbState } from './dynamodb-state.js';
import { useDynalite } from './test-support/dynalite-fixture.js';
import { type LossyProxy, startLossyProxy } from './test-support/lossy-proxy.js';

const dynalite = useDynalite();
const proxies: LossyProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

const PUT = 'DynamoDB_20120810.PutItem';

/**
 * A store whose connection loses one answer on request: the write is
 * applied, the answer never arrives, and the SDK sends the same write again
 * — which then finds its own item there. It must count as done, not as a
 * conflict with another writer.
 */
async function lossyState() {
  const { options } = await dynalite.freshState();
  const proxy = await startLossyProxy(dynalite.server().port);
  proxies.push(proxy);
  const state = await openDynamoDbState({ ...options, endpoint: proxy.endpoint, init: false });
  return { proxy, state, direct: await dynalite.freshState({ tableName: options.tableName }) };
}

describe('a write whose answer is lost, retried by the SDK', () => {
  it('create still returns the run, once', async () => {
    const { proxy, state, direct } = await lossyState();
    const run = newRun();
    proxy.loseNextAnswerTo(PUT);
    expect(await state.runs.create(run)).toEqual({ ...run, version: 1 });
    expect(proxy.lost).toBe(1);
    expect(await direct.runs.get(run.runId)).toEqual({ ...run, version: 1 });
    state.close();
  });

  it('update still returns version + 1, and a second coordinator is still refused', async () => {
    const { proxy, state, direct } = await lossyState();
    const v1 = await state.runs.create(newRun());
    proxy.loseNextAnswerTo(PUT);
    const v2 = await state.runs.update(v1, { owner: 'lossy' });
    expect(proxy.lost).toBe(1);
    expect(v2.version).toBe(2);
    await expect(direct.runs.update(v1, { owner: 'other' })).rejects.toMatchObject({ name: 'VersionConflictError' });
    expect(await direct.runs.get(v1.runId)).toEqual(v2);
    state.close();
  });

  it('appendEvents still returns the new seq, and the events are in the log once', async () => {
    const { proxy, state, direct } = await lossyState();
    const { runId } = await state.runs.create(newRun());
    proxy.loseNextAnswerTo(PUT);
    expect(await state.runs.appendEvents(runId, 0, [started('a'), finished('a')])).toBe(2);
    expect(proxy.lost).toBe(1);
    expect(await direct.runs.readEvents(runId)).toEqual([
      { seq: 1, event: started('a') },
      { seq: 2, event: finished('a') },
    ]);
    state.close();
  });

  it('a log append is stored once', async () => {
    const { proxy, state, direct } = await lossyState();
    proxy.loseNextAnswerTo(PUT);
    await state.logs.append('r1', 'build', 1, 'once\n');
    await state.logs.append('r1', 'build', 1, 'twice\n');
    expect(proxy.lost).toBe(1);
    expect(await direct.logs.read('r1', 'build')).toBe('==> build (attempt 1) <==\nonce\ntwice\n');
    state.close();
  });
});
