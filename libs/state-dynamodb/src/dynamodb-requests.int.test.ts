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

describe('requests per operation', () => {
  it('a coordinator appending to its own run step after step sends one PutItem per append, no reads', async () => {
    const { proxy, state, direct } = await lossyState();
    const { runId } = await state.runs.create(newRun());
    let seq = 0;
    for (let i = 0; i < 10; i++) seq = await state.runs.appendEvents(runId, seq, [started(`s${i}`), finished(`s${i}`)]);
    expect(proxy.requests).toEqual({ PutItem: 11 });
    // Another coordinator's append makes the first one's memory stale: its next append is refused, then checked.
    await direct.runs.appendEvents(runId, seq, [started('other')]);
    await expect(state.runs.appendEvents(runId, seq, [started('late')])).rejects.toMatchObject({
      name: 'VersionConflictError',
      actual: seq + 1,
    });
    expect(await state.runs.appendEvents(runId, seq + 1, [started('next')])).toBe(seq + 2);
    expect((await direct.runs.readEvents(runId)).map((e) => e.seq)).toEqual(
      Array.from({ length: seq + 2 }, (_, i) => i + 1),
    );
    state.close();
  });

  it('an append without that memory reads the record and the log end first, in parallel', async () => {
    const { proxy, state, direct } = await lossyState();
    const { runId } = await direct.runs.create(newRun());
    await state.runs.appendEvents(runId, 0, [started('a')]);
    expect(proxy.requests).toEqual({ GetItem: 1, Query: 1, PutItem: 1 });
    state.close();
  });
});
