import { describe, expect, it } from '@jest/globals';

import type { DeadLetter, DeadLetterStore } from '../dead-letter-store.js';
import { type Factory, deadLetter, deadLetterId, uniqueRunId } from './fixtures.js';

/**
 * What every DeadLetterStore adapter must do (file, DynamoDB…), given a
 * factory of fresh, empty stores. Order: newest first (`createdAt`
 * descending), and among letters of the same time the greater id first —
 * the reverse of (createdAt, id), like `runs list`.
 */
export function describeDeadLetterStoreContract(name: string, makeStore: Factory<DeadLetterStore>): void {
  describe(`${name}: DeadLetterStore contract`, () => {
    describeStorage(makeStore);
    describeListing(makeStore);
    describeDeletion(makeStore);
  });
}

const ids = (letters: readonly DeadLetter[]) => letters.map((l) => l.id);

function describeStorage(makeStore: Factory<DeadLetterStore>): void {
  it('reads back exactly what was put, optional fields kept or left out', async () => {
    const store = await makeStore();
    const full = deadLetter();
    const { exitCode: _exit, worker: _worker, ...bare } = deadLetter({ stepKey: 'lint[3]' });
    await store.put(full);
    await store.put(bare);
    expect(await store.get(full.id)).toStrictEqual(full);
    expect(await store.get(bare.id)).toStrictEqual(bare);
  });

  it('reads an unknown id, or one not of the dl-<20 hex> form, as undefined', async () => {
    const store = await makeStore();
    await store.put(deadLetter());
    expect(await store.get(deadLetterId('no-such-run', 'build', 1))).toBeUndefined();
    for (const bad of [
      '',
      'dl-',
      '../../etc/passwd',
      'dl-../../x',
      'dl-ABCDEF0123456789ABCD',
      `dl-${'0'.repeat(21)}`,
    ]) {
      expect(await store.get(bad)).toBeUndefined();
    }
  });

  it('refuses to put a letter whose id is not dl-<20 hex>, and stores nothing', async () => {
    const store = await makeStore();
    await expect(store.put(deadLetter({ id: '../escape' }))).rejects.toMatchObject({ code: 'invalid_dead_letter_id' });
    expect(await store.list()).toEqual([]);
  });

  it('a second put of the same id changes nothing: the first letter stays, once', async () => {
    const store = await makeStore();
    const first = deadLetter({ logTail: 'first\n' });
    await store.put(first);
    await store.put({ ...first, logTail: 'second\n', createdAt: first.createdAt + 5 });
    expect(await store.get(first.id)).toStrictEqual(first);
    expect(await store.list()).toStrictEqual([first]);
  });

  it('of concurrent puts of one id, one whole letter is stored', async () => {
    const store = await makeStore();
    const base = deadLetter();
    const tails = ['a\n', 'b\n', 'c\n', 'd\n'];
    await Promise.all(tails.map((logTail) => store.put({ ...base, logTail })));
    const stored = await store.list();
    expect(stored).toHaveLength(1);
    expect(tails).toContain(stored[0]?.logTail);
    expect(stored[0]).toStrictEqual({ ...base, logTail: stored[0]?.logTail });
  });

  it('keeps a 4 KiB unicode log tail and unusual input values exactly', async () => {
    const store = await makeStore();
    const piece = 'é ✓ 𝄞 日本語 \u0000 \t "q" \\ \u2028 \ud83d\udc4d \n';
    let logTail = '';
    while (Buffer.byteLength(logTail + piece, 'utf8') <= 4096) logTail += piece;
    const inputs = {
      prompt: 'ünïcode ✓',
      n: -1.5e-7,
      big: 1e300,
      t: true,
      z: null,
      nested: [{ a: [1, '2'] }],
      empty: {},
    };
    const letter = deadLetter({ logTail, inputs, error: { code: 'timeout', message: 'zeit ⌛', retryable: false } });
    await store.put(letter);
    expect(await store.get(letter.id)).toStrictEqual(letter);
    expect((await store.list())[0]?.logTail).toBe(logTail);
  });
}

function describeListing(makeStore: Factory<DeadLetterStore>): void {
  it('lists newest first; letters of the same time by id, greater first', async () => {
    const store = await makeStore();
    const letters = [1000, 3000, 2000, 2000, 2000].map((createdAt, i) => deadLetter({ createdAt, stepKey: `s${i}` }));
    for (const letter of letters) await store.put(letter);
    const [l1000, l3000, ...ties] = letters;
    const tiesDescending = ties.sort((a, b) => (a.id < b.id ? 1 : -1));
    expect(ids(await store.list())).toEqual(ids([l3000!, ...tiesDescending, l1000!]));
    expect(await store.list({})).toEqual(await store.list());
  });

  it('filters by run, workflow and fingerprint, alone and together', async () => {
    const store = await makeStore();
    const [runA, runB] = [uniqueRunId(), uniqueRunId()];
    const fpX = 'aa'.repeat(32);
    const fpY = 'bb'.repeat(32);
    const a1 = deadLetter({ runId: runA, stepKey: 'one', workflowName: 'ci', fingerprint: fpX, createdAt: 1 });
    const a2 = deadLetter({ runId: runA, stepKey: 'two', workflowName: 'ci', fingerprint: fpY, createdAt: 2 });
    const b1 = deadLetter({ runId: runB, stepKey: 'one', workflowName: 'deploy', fingerprint: fpX, createdAt: 3 });
    for (const letter of [a1, a2, b1]) await store.put(letter);
    expect(ids(await store.list({ runId: runA }))).toEqual(ids([a2, a1]));
    expect(ids(await store.list({ workflow: 'deploy' }))).toEqual(ids([b1]));
    expect(ids(await store.list({ fingerprint: fpX }))).toEqual(ids([b1, a1]));
    expect(ids(await store.list({ runId: runA, fingerprint: fpX }))).toEqual(ids([a1]));
    expect(ids(await store.list({ workflow: 'ci', fingerprint: fpY }))).toEqual(ids([a2]));
    expect(await store.list({ runId: runB, workflow: 'ci' })).toEqual([]);
    expect(await store.list({ runId: 'no-such-run' })).toEqual([]);
  });

  it('lists nothing from an empty store', async () => {
    const store = await makeStore();
    expect(await store.list()).toEqual([]);
  });
}

function describeDeletion(makeStore: Factory<DeadLetterStore>): void {
  it('delete returns true, then false; the letter is gone from get and list, the others stay', async () => {
    const store = await makeStore();
    const [gone, kept] = [deadLetter({ createdAt: 1 }), deadLetter({ createdAt: 2 })];
    await store.put(gone);
    await store.put(kept);
    expect(await store.delete(gone.id)).toBe(true);
    expect(await store.delete(gone.id)).toBe(false);
    expect(await store.get(gone.id)).toBeUndefined();
    expect(await store.list()).toStrictEqual([kept]);
  });

  it('delete of an unknown or malformed id is false and removes nothing', async () => {
    const store = await makeStore();
    const letter = deadLetter();
    await store.put(letter);
    expect(await store.delete(deadLetterId('no-such-run', 'build', 1))).toBe(false);
    expect(await store.delete('../dead-letters')).toBe(false);
    expect(await store.delete(`${letter.id}/..`)).toBe(false);
    expect(await store.list()).toStrictEqual([letter]);
  });

  it('a deleted id can be put again (a replayed step that fails again)', async () => {
    const store = await makeStore();
    const letter = deadLetter();
    await store.put(letter);
    await store.delete(letter.id);
    const again = { ...letter, logTail: 'failed again\n', createdAt: letter.createdAt + 60_000 };
    await store.put(again);
    expect(await store.get(letter.id)).toStrictEqual(again);
  });
}
