import { createHash } from 'node:crypto';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import type { EngineEvent } from '@flowline/engine';
import { FileRunStateStore, FsBlobStore } from '@flowline/store-fs';

import { finished, newRun } from '../../ports/src/test-support/fixtures.js';
import { describeRunStateStoreContract } from '../../ports/src/test-support/run-state-store-contract.js';
import { OffloadingRunStateStore } from './large-outputs.js';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'flowline-large-outputs-'));
  made.push(dir);
  return dir;
}

/** File state and file blobs in one fresh directory; `reopen` is a second process's decorator (an empty memory). */
async function stores() {
  const dir = await tempDir();
  const inner = new FileRunStateStore(join(dir, 'state'));
  const blobs = new FsBlobStore(join(dir, 'state'));
  const open = () => new OffloadingRunStateStore({ inner, blobs, tempDir: join(dir, 'tmp') });
  return { dir, inner, blobs, store: open(), reopen: open };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const KiB = 1024;

function failedWith(step: string, outputs: Record<string, unknown>): EngineEvent {
  const error = { code: 'exit_code', message: 'exit 1', retryable: false };
  return { type: 'step_finished', key: { step }, attempt: 2, at: 3000, outcome: { ok: false, error, outputs } };
}

/** The outputs of the event at `index`, as the inner store holds them. */
async function storedOutputs(inner: FileRunStateStore, runId: string, index = 0) {
  const event = (await inner.readEvents(runId))[index]?.event;
  if (event?.type !== 'step_finished') throw new Error(`event ${index} is not step_finished`);
  return { event, outputs: event.outcome.outputs ?? {} };
}

describeRunStateStoreContract('OffloadingRunStateStore over FileRunStateStore', async () => (await stores()).store);

describe('OffloadingRunStateStore: step outputs', () => {
  it('stores a 200 KiB output as a blob, keeps a marker in the state, and reads the full value back', async () => {
    const { inner, blobs, store, reopen } = await stores();
    const { runId } = await store.create(newRun());
    const stdout = `${'line of build output ✓\n'.repeat(8_000)}`.slice(0, 200 * KiB);
    const event = finished('build', { stdout, exit_code: 0, small: 'ok' });
    await store.appendEvents(runId, 0, [event]);

    const { event: raw, outputs } = await storedOutputs(inner, runId);
    const bytes = Buffer.byteLength(stdout, 'utf8');
    expect(outputs).toEqual({
      stdout: { $flowline_blob: `sha256:${sha256(stdout)}`, bytes, encoding: 'utf8' },
      exit_code: 0,
      small: 'ok',
    });
    expect(Buffer.byteLength(JSON.stringify(raw), 'utf8')).toBeLessThan(2 * KiB);
    expect(await blobs.has(sha256(stdout))).toBe(true);

    expect(await store.readEvents(runId)).toEqual([{ seq: 1, event }]);
    // Another process (nothing in memory) reads it from the blob store.
    expect(await reopen().readEvents(runId)).toEqual([{ seq: 1, event }]);
  });

  it('counts UTF-8 bytes: 64 KiB stays inline, one character more is offloaded', async () => {
    const { inner, store, reopen } = await stores();
    const { runId } = await store.create(newRun());
    const atLimit = 'é'.repeat(32 * KiB); // 65,536 bytes, 32,768 characters
    const overLimit = `${atLimit}x`;
    const event = finished('build', { atLimit, overLimit, ascii: 'a'.repeat(64 * KiB) });
    await store.appendEvents(runId, 0, [event]);
    const { outputs } = await storedOutputs(inner, runId);
    expect(outputs['atLimit']).toBe(atLimit);
    expect(outputs['ascii']).toBe('a'.repeat(64 * KiB));
    expect(outputs['overLimit']).toEqual({
      $flowline_blob: `sha256:${sha256(overLimit)}`,
      bytes: 65_537,
      encoding: 'utf8',
    });
    expect((await reopen().readEvents(runId))[0]?.event).toEqual(event);
  });

  it("offloads a large object (a webhook's parsed body) as JSON, and a failed attempt's outputs too", async () => {
    const { inner, store, reopen } = await stores();
    const { runId } = await store.create(newRun());
    const body = { items: Array.from({ length: 3_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'ü'] })) };
    const event = failedWith('notify', { status_code: 500, body, stderr: 'e'.repeat(100 * KiB) });
    await store.appendEvents(runId, 0, [event]);
    const { event: raw, outputs } = await storedOutputs(inner, runId);
    expect(outputs['body']).toEqual({
      $flowline_blob: `sha256:${sha256(JSON.stringify(body))}`,
      bytes: Buffer.byteLength(JSON.stringify(body)),
      encoding: 'json',
    });
    expect(outputs['stderr']).toMatchObject({ encoding: 'utf8', bytes: 100 * KiB });
    expect(raw.outcome).toMatchObject({ ok: false, error: { code: 'exit_code' } });
    expect(Buffer.byteLength(JSON.stringify(raw), 'utf8')).toBeLessThan(2 * KiB);
    expect((await reopen().readEvents(runId))[0]?.event).toEqual(event);
  });

  it('keeps a large string with a lone surrogate exact (stored as JSON, since UTF-8 cannot carry it)', async () => {
    const { inner, store, reopen } = await stores();
    const { runId } = await store.create(newRun());
    const odd = `${'x'.repeat(70 * KiB)}\ud800 and \udfff`;
    await store.appendEvents(runId, 0, [finished('build', { odd })]);
    expect((await storedOutputs(inner, runId)).outputs['odd']).toMatchObject({ encoding: 'json' });
    const event = (await reopen().readEvents(runId))[0]?.event;
    expect(event?.type === 'step_finished' && event.outcome.outputs?.['odd']).toBe(odd);
  });

  it("a user's output shaped like a marker is stored escaped and read back as the user's own value", async () => {
    const { inner, store, reopen } = await stores();
    const { runId } = await store.create(newRun());
    const lookalike = { $flowline_blob: `sha256:${'0'.repeat(64)}`, bytes: 10, encoding: 'utf8' };
    const wrapperlike = { $flowline_escaped: { a: 1 } };
    const nested = { deep: lookalike };
    const event = finished('build', { lookalike, wrapperlike, nested });
    await store.appendEvents(runId, 0, [event]);
    const { outputs } = await storedOutputs(inner, runId);
    expect(outputs).toEqual({
      lookalike: { $flowline_escaped: lookalike },
      wrapperlike: { $flowline_escaped: wrapperlike },
      nested, // only top-level positions are ever read as markers, so nothing below is rewritten
    });
    expect((await reopen().readEvents(runId))[0]?.event).toEqual(event);
  });

  it('passes small events to the inner store unchanged', async () => {
    const { inner, store } = await stores();
    const { runId } = await store.create(newRun());
    const events: EngineEvent[] = [
      { type: 'step_started', key: { step: 'build' }, attempt: 1, at: 1 },
      finished('build', { n: 1, list: [1, 2], text: 'short' }),
      failedWith('lint', { note: 'x' }),
      { type: 'run_cancelled', at: 9 },
    ];
    await store.appendEvents(runId, 0, events);
    expect((await inner.readEvents(runId)).map((e) => e.event)).toEqual(events);
  });

  it('stores one value used twice once, and sends nothing again for a value it already stored', async () => {
    const { dir, inner, store } = await stores();
    const { runId } = await store.create(newRun());
    const big = 'b'.repeat(100 * KiB);
    await store.appendEvents(runId, 0, [finished('a', { big }), finished('b', { big })]);
    const [a, b] = [await storedOutputs(inner, runId, 0), await storedOutputs(inner, runId, 1)];
    expect(a.outputs['big']).toEqual(b.outputs['big']);
    // With the temp directory gone (a blob write would fail), a value known to be stored needs no write.
    await rm(join(dir, 'tmp'), { recursive: true });
    await writeFile(join(dir, 'tmp'), 'not a directory');
    await store.appendEvents(runId, 2, [finished('c', { big })]);
    expect((await store.readEvents(runId)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});

describe('OffloadingRunStateStore: failures', () => {
  it('a value that cannot be stored fails the append (retryable) and appends nothing', async () => {
    const dir = await tempDir();
    const inner = new FileRunStateStore(join(dir, 'state'));
    await writeFile(join(dir, 'not-a-dir'), '');
    const blobs = new FsBlobStore(join(dir, 'state'));
    const store = new OffloadingRunStateStore({ inner, blobs, tempDir: join(dir, 'not-a-dir', 'tmp') });
    const { runId } = await store.create(newRun());
    await expect(
      store.appendEvents(runId, 0, [finished('build', { out: 'x'.repeat(65 * KiB) })]),
    ).rejects.toMatchObject({
      code: 'output_store_failed',
      retryable: true,
      message: expect.stringContaining(`run ${runId}: step build attempt 1: output "out" (65 KiB) could not be stored`),
    });
    expect(await inner.readEvents(runId)).toEqual([]);
  });

  it('a blob gone from the store fails the read with output_unavailable, naming run, step and output', async () => {
    const { dir, store, reopen } = await stores();
    const { runId } = await store.create(newRun());
    const out = 'y'.repeat(80 * KiB);
    await store.appendEvents(runId, 0, [finished('build', { out })]);
    const digest = sha256(out);
    await unlink(join(dir, 'state', 'cache', 'blobs', digest.slice(0, 2), digest.slice(2)));
    await expect(reopen().readEvents(runId)).rejects.toMatchObject({
      code: 'output_unavailable',
      retryable: false,
      message: expect.stringContaining(`run ${runId}: step build attempt 1: output "out" (80 KiB) is stored as blob`),
    });
  });
});

describe('OffloadingRunStateStore: run outputs', () => {
  it("offloads a run record's large outputs on update and resolves them on get, list and the update's result", async () => {
    const { inner, store, reopen } = await stores();
    const v1 = await store.create(newRun());
    const report = `# Coverage\n${'| file | 83% |\n'.repeat(10_000)}`;
    const v2 = await store.update(v1, { status: 'succeeded', outputs: { report, coverage: '83' } });
    expect(v2.outputs).toEqual({ report, coverage: '83' });
    const raw = await inner.get(v1.runId);
    expect(raw?.outputs?.['coverage']).toBe('83');
    expect(raw?.outputs?.['report']).toMatchObject({ $flowline_blob: `sha256:${sha256(report)}`, encoding: 'utf8' });
    expect(Buffer.byteLength(JSON.stringify(raw), 'utf8')).toBeLessThan(2 * KiB);
    expect(await reopen().get(v1.runId)).toEqual(v2);
    expect(await reopen().list()).toEqual([v2]);
    // A later update from the decoded record keeps the state small.
    const v3 = await store.update(v2, { owner: 'coordinator-2' });
    expect(v3).toEqual({ ...v2, version: 3, owner: 'coordinator-2', updatedAt: v3.updatedAt });
    expect(Buffer.byteLength(JSON.stringify(await inner.get(v1.runId)), 'utf8')).toBeLessThan(2 * KiB);
  });
});
