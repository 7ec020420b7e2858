import { appendFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { describeRunStateStoreContract } from '../../ports/src/test-support/run-state-store-contract.js';
import { finished, newRun, started } from '../../ports/src/test-support/fixtures.js';
import { FileRunStateStore } from './file-run-state-store.js';
import { deadPid } from './test-support/dead-pid.js';
import { tempDirs } from './test-support/temp-dirs.js';

const newDir = tempDirs('state');

describeRunStateStoreContract('FileRunStateStore', async () => new FileRunStateStore(await newDir()));

async function storeWithRun(events = [started('a'), started('b')]) {
  const stateDir = await newDir();
  const store = new FileRunStateStore(stateDir);
  const record = await store.create(newRun());
  await store.appendEvents(record.runId, 0, events);
  const dir = join(stateDir, 'runs', record.runId);
  return { stateDir, store, record, dir, log: join(dir, 'events.jsonl') };
}

describe('FileRunStateStore on disk', () => {
  it('lays a run out as run.json, events.jsonl and logs/, with one JSON line per event', async () => {
    const { dir, log } = await storeWithRun();
    expect((await readdir(dir)).sort()).toEqual(['events.jsonl', 'logs', 'run.json']);
    expect(await readFile(log, 'utf8')).toBe(
      `${JSON.stringify({ seq: 1, event: started('a') })}\n${JSON.stringify({ seq: 2, event: started('b') })}\n`,
    );
  });

  it('leaves no temp or lock files behind after writes', async () => {
    const { store, record, dir } = await storeWithRun();
    let current = record;
    for (let i = 0; i < 5; i++) current = await store.update(current, { owner: `o${i}` });
    expect((await readdir(dir)).sort()).toEqual(['events.jsonl', 'logs', 'run.json']);
  });

  it('stamps updatedAt from its clock when an update does not set it', async () => {
    const store = new FileRunStateStore(await newDir(), { now: () => 424242 });
    const v1 = await store.create(newRun());
    expect((await store.update(v1, { status: 'failed' })).updatedAt).toBe(424242);
  });

  it('ignores a torn last line, and the next append replaces it', async () => {
    const { store, record, log } = await storeWithRun();
    const complete = await readFile(log, 'utf8');
    // Killed mid-write of a line longer than the one that will replace it.
    await appendFile(log, `{"seq":3,"event":{"type":"step_finished","outputs":{"stdout":"${'x'.repeat(500)}`);
    expect((await store.readEvents(record.runId)).map((e) => e.seq)).toEqual([1, 2]);
    expect(await store.appendEvents(record.runId, 2, [started('c')])).toBe(3);
    expect(await readFile(log, 'utf8')).toBe(`${complete}${JSON.stringify({ seq: 3, event: started('c') })}\n`);
  });

  it('ignores garbage lines at the end (unflushed blocks after a power loss) and appends over them', async () => {
    const { store, record, log } = await storeWithRun();
    await appendFile(log, Buffer.concat([Buffer.alloc(40), Buffer.from('\n'), Buffer.alloc(10), Buffer.from('\n')]));
    expect(await store.readEvents(record.runId)).toHaveLength(2);
    expect(await store.appendEvents(record.runId, 2, [finished('a')])).toBe(3);
    expect((await store.readEvents(record.runId)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('reads an event of several megabytes and appends after it', async () => {
    const big = finished('big', { blob: 'x'.repeat(3 * 1024 * 1024) });
    const { store, record } = await storeWithRun([started('a'), big]);
    expect(await store.appendEvents(record.runId, 2, [started('c')])).toBe(3);
    expect((await store.readEvents(record.runId))[1]?.event).toEqual(big);
  });

  it('fails loudly on a damaged line in the middle of the log', async () => {
    const { store, record, log } = await storeWithRun();
    const text = await readFile(log, 'utf8');
    await writeFile(log, `not json\n${text}`);
    await expect(store.readEvents(record.runId)).rejects.toMatchObject({ code: 'state_corrupt' });
  });

  it('fails loudly on a gap in the numbering', async () => {
    const { store, record, log } = await storeWithRun();
    await appendFile(log, `${JSON.stringify({ seq: 5, event: started('x') })}\n`);
    await expect(store.readEvents(record.runId)).rejects.toThrow(/line 3 has seq 5, expected 3/);
  });

  it('fails loudly on a damaged run.json when asked for it, and lists the other runs', async () => {
    const { store, record, dir } = await storeWithRun();
    await writeFile(join(dir, 'run.json'), '{"runId": "x", "vers');
    await expect(store.get(record.runId)).rejects.toMatchObject({ code: 'state_corrupt' });
    const other = await store.create(newRun());
    expect(await store.list()).toEqual([other]); // the damaged run does not hide the others
  });

  it('treats a run directory without run.json (killed during create) as no run', async () => {
    const stateDir = await newDir();
    const store = new FileRunStateStore(stateDir);
    const run = newRun();
    await mkdir(join(stateDir, 'runs', run.runId, 'logs'), { recursive: true });
    expect(await store.get(run.runId)).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(await store.create(run)).toMatchObject({ version: 1 });
  });

  it('lists an empty state directory as no runs', async () => {
    expect(await new FileRunStateStore(join(await newDir(), 'missing')).list()).toEqual([]);
  });

  it.each(['../escape', 'a/b', '', '.hidden', 'x'.repeat(129), 'run id', 'ünïcode'])(
    'refuses the run id %j with invalid_run_id',
    async (runId) => {
      const store = new FileRunStateStore(await newDir());
      await expect(store.get(runId)).rejects.toMatchObject({ code: 'invalid_run_id' });
      await expect(store.create(newRun({ runId }))).rejects.toThrow(/run id .* is not valid/);
      await expect(store.appendEvents(runId, 0, [])).rejects.toMatchObject({ code: 'invalid_run_id' });
    },
  );

  it('two stores on one directory: of two updates from the same version, exactly one wins', async () => {
    const stateDir = await newDir();
    const [one, two] = [new FileRunStateStore(stateDir), new FileRunStateStore(stateDir)];
    const v1 = await one.create(newRun());
    const results = await Promise.allSettled([one.update(v1, { owner: 'one' }), two.update(v1, { owner: 'two' })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await two.get(v1.runId))?.version).toBe(2);
  });

  it('takes over the lock of a writer that was killed', async () => {
    const { store, record, dir } = await storeWithRun();
    const lock = JSON.stringify({ pid: deadPid(), host: hostname(), token: 't', at: 0 });
    await writeFile(join(dir, '.lock'), lock);
    expect((await store.update(record, { status: 'failed' })).version).toBe(2);
    expect(await store.appendEvents(record.runId, 2, [finished('a')])).toBe(3);
  });

  it('fails a write with state_locked while a live process holds the lock', async () => {
    const stateDir = await newDir();
    const store = new FileRunStateStore(stateDir, { lockTimeoutMs: 30 });
    const record = await store.create(newRun());
    const lock = JSON.stringify({ pid: process.ppid, host: hostname(), token: 't', at: 0 });
    await writeFile(join(stateDir, 'runs', record.runId, '.lock'), lock);
    await expect(store.update(record, { status: 'failed' })).rejects.toMatchObject({ code: 'state_locked' });
    expect(await store.get(record.runId)).toEqual(record);
  });
});
