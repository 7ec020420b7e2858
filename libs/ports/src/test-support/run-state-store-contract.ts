import { describe, expect, it } from '@jest/globals';

import type { RunStateStore } from '../run-store.js';
import { type Factory, finished, newRun, started } from './fixtures.js';

/**
 * What every RunStateStore adapter must do (file, DynamoDB…). Call it from
 * the adapter's test file with a factory that returns a fresh, empty store.
 */
export function describeRunStateStoreContract(name: string, makeStore: Factory<RunStateStore>): void {
  describe(`${name}: RunStateStore contract`, () => {
    describeRecords(makeStore);
    describeConditionalUpdates(makeStore);
    describeEventLog(makeStore);
    describeListing(makeStore);
  });
}

function describeRecords(makeStore: Factory<RunStateStore>): void {
  it('creates a run at version 1 and reads back exactly what was written', async () => {
    const store = await makeStore();
    const run = newRun({ owner: 'pid:42' });
    const created = await store.create(run);
    expect(created).toEqual({ ...run, version: 1 });
    expect(await store.get(run.runId)).toEqual(created);
  });

  it('reads an unknown run as undefined', async () => {
    const store = await makeStore();
    expect(await store.get('no-such-run')).toBeUndefined();
  });

  it('refuses to create a run that exists, and keeps the first', async () => {
    const store = await makeStore();
    const run = newRun();
    await store.create(run);
    await expect(store.create({ ...run, workflowName: 'other' })).rejects.toMatchObject({
      name: 'VersionConflictError',
      runId: run.runId,
      actual: 1,
    });
    expect((await store.get(run.runId))?.workflowName).toBe(run.workflowName);
  });

  it('of two concurrent creates of one id, exactly one succeeds', async () => {
    const store = await makeStore();
    const run = newRun();
    const results = await Promise.allSettled([store.create(run), store.create(run)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
}

function describeConditionalUpdates(makeStore: Factory<RunStateStore>): void {
  it('update writes version + 1, merges the fields given and keeps the rest', async () => {
    const store = await makeStore();
    const v1 = await store.create(newRun());
    const v2 = await store.update(v1, { status: 'succeeded', finishedAt: 5000, updatedAt: 5000, outputs: { a: '1' } });
    expect(v2).toEqual({
      ...v1,
      version: 2,
      status: 'succeeded',
      finishedAt: 5000,
      updatedAt: 5000,
      outputs: { a: '1' },
    });
    expect(await store.get(v1.runId)).toEqual(v2);
  });

  it('update from a stale version fails with VersionConflictError and changes nothing', async () => {
    const store = await makeStore();
    const v1 = await store.create(newRun());
    const v2 = await store.update(v1, { status: 'failed' });
    await expect(store.update(v1, { status: 'cancelled' })).rejects.toMatchObject({
      name: 'VersionConflictError',
      runId: v1.runId,
      expected: 1,
      actual: 2,
    });
    expect(await store.get(v1.runId)).toEqual(v2);
  });

  it('update of a run that does not exist fails with VersionConflictError', async () => {
    const store = await makeStore();
    const ghost = { ...newRun(), version: 1 };
    await expect(store.update(ghost, { status: 'failed' })).rejects.toMatchObject({
      name: 'VersionConflictError',
      actual: undefined,
    });
  });

  it('of concurrent updates from the same version, exactly one wins', async () => {
    const store = await makeStore();
    const v1 = await store.create(newRun());
    const owners = ['a', 'b', 'c', 'd', 'e'];
    const results = await Promise.allSettled(owners.map((owner) => store.update(v1, { owner })));
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ name: 'VersionConflictError', expected: 1 });
    }
    expect(await store.get(v1.runId)).toEqual(won[0]);
    expect(won[0]?.version).toBe(2);
  });

  it('a chain of updates, each from the version before, all apply', async () => {
    const store = await makeStore();
    let record = await store.create(newRun());
    for (let i = 0; i < 10; i++) record = await store.update(record, { owner: `owner-${i}` });
    expect(await store.get(record.runId)).toMatchObject({ version: 11, owner: 'owner-9' });
  });
}

function describeEventLog(makeStore: Factory<RunStateStore>): void {
  it('appends events numbered from 1 and reads them back in order', async () => {
    const store = await makeStore();
    const { runId } = await store.create(newRun());
    expect(await store.readEvents(runId)).toEqual([]);
    expect(await store.appendEvents(runId, 0, [started('build'), started('each', 1, 3)])).toBe(2);
    expect(await store.appendEvents(runId, 2, [finished('build', { n: 1, text: 'line\nnext "quoted"' })])).toBe(3);
    expect(await store.readEvents(runId)).toEqual([
      { seq: 1, event: started('build') },
      { seq: 2, event: started('each', 1, 3) },
      { seq: 3, event: finished('build', { n: 1, text: 'line\nnext "quoted"' }) },
    ]);
  });

  it('refuses an append that would leave a gap or overwrite, and changes nothing', async () => {
    const store = await makeStore();
    const { runId } = await store.create(newRun());
    await store.appendEvents(runId, 0, [started('a'), started('b')]);
    await expect(store.appendEvents(runId, 3, [started('c')])).rejects.toMatchObject({
      name: 'VersionConflictError',
      expected: 3,
      actual: 2,
    });
    await expect(store.appendEvents(runId, 1, [started('c')])).rejects.toMatchObject({ name: 'VersionConflictError' });
    expect((await store.readEvents(runId)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('an empty append checks the position and returns it', async () => {
    const store = await makeStore();
    const { runId } = await store.create(newRun());
    await store.appendEvents(runId, 0, [started('a')]);
    expect(await store.appendEvents(runId, 1, [])).toBe(1);
    await expect(store.appendEvents(runId, 0, [])).rejects.toMatchObject({ name: 'VersionConflictError' });
  });

  it('of concurrent appends after the same seq, exactly one wins', async () => {
    const store = await makeStore();
    const { runId } = await store.create(newRun());
    const steps = ['a', 'b', 'c', 'd'];
    const results = await Promise.allSettled(steps.map((s) => store.appendEvents(runId, 0, [started(s)])));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await store.readEvents(runId)).toHaveLength(1);
  });

  it('refuses to append to a run that does not exist', async () => {
    const store = await makeStore();
    await expect(store.appendEvents('no-such-run', 0, [started('a')])).rejects.toBeDefined();
    expect(await store.readEvents('no-such-run')).toEqual([]);
  });
}

function describeListing(makeStore: Factory<RunStateStore>): void {
  it('lists newest first and filters by status and workflow', async () => {
    const store = await makeStore();
    const a = await store.create(newRun({ createdAt: 1000, workflowName: 'build' }));
    const b = await store.create(newRun({ createdAt: 3000, workflowName: 'build', status: 'failed' }));
    const c = await store.create(newRun({ createdAt: 2000, workflowName: 'deploy' }));
    const ids = (runs: { runId: string }[]) => runs.map((r) => r.runId);
    expect(ids(await store.list())).toEqual([b.runId, c.runId, a.runId]);
    expect(ids(await store.list({ status: 'running' }))).toEqual([c.runId, a.runId]);
    expect(ids(await store.list({ workflow: 'build' }))).toEqual([b.runId, a.runId]);
    expect(ids(await store.list({ workflow: 'build', status: 'failed' }))).toEqual([b.runId]);
    expect(await store.list({ workflow: 'none' })).toEqual([]);
  });

  it('lists the current version of each run', async () => {
    const store = await makeStore();
    const v1 = await store.create(newRun());
    const v2 = await store.update(v1, { status: 'succeeded' });
    expect(await store.list()).toEqual([v2]);
  });
}
