import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';

import { type RedisServer, startRedis } from '../../test-servers/src/redis.js';
import { type RedisRunAdmission } from './redis-run-admission.js';
import { AdmissionHarness, admitInTurn, runIds as runs } from './test-support/admission-harness.js';

let redis: RedisServer;
let harness: AdmissionHarness;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await harness.closeAll();
});

/** A gate on a prefix of this test's own. */
function gate(): Promise<RedisRunAdmission> {
  harness = new AdmissionHarness(redis.url);
  return harness.gate();
}

describe('RedisRunAdmission', () => {
  it('(limit 1) lets one run in and the rest through one at a time, first come first served', async () => {
    const admission = await gate();
    const ids = runs(5);
    expect(await admitInTurn(admission, 'acme/app', 1, ids)).toEqual([true, false, false, false, false]);
    expect(await admission.inspect('acme/app')).toEqual({ holders: ['r0'], waiting: ['r1', 'r2', 'r3', 'r4'] });
    for (const [i, id] of ids.entries()) {
      expect(await admission.release('acme/app', 1, id)).toEqual(ids.slice(i + 1, i + 2));
    }
    expect(await admission.inspect('acme/app')).toEqual({ holders: [], waiting: [] });
    // Redis deletes a sorted set with its last member: an idle group leaves no keys behind.
    expect(await redis.command(`KEYS ${harness.prefix}:run-gate:acme*`)).toEqual([]);
  });

  it('(limit 2) keeps two runs in and fills each freed slot with the oldest waiting run', async () => {
    const admission = await gate();
    expect(await admitInTurn(admission, 'g', 2, runs(5))).toEqual([true, true, false, false, false]);
    expect(await admission.release('g', 2, 'r1')).toEqual(['r2']);
    expect(await admission.release('g', 2, 'r0')).toEqual(['r3']);
    expect(await admission.inspect('g')).toEqual({ holders: ['r2', 'r3'], waiting: ['r4'] });
    expect(await admission.release('g', 2, 'r3')).toEqual(['r4']);
    expect(await admission.release('g', 2, 'r2')).toEqual([]);
    expect(await admission.inspect('g')).toEqual({ holders: ['r4'], waiting: [] });
  });

  it('is idempotent: a holder stays a holder, a waiting run keeps its place, a second release does nothing', async () => {
    const admission = await gate();
    await admitInTurn(admission, 'g', 1, ['a', 'b', 'c']);
    expect(await admission.admit('g', 1, 'a')).toBe(true);
    expect(await admission.admit('g', 1, 'b')).toBe(false);
    expect(await admission.admit('g', 1, 'c')).toBe(false);
    expect(await admission.inspect('g')).toEqual({ holders: ['a'], waiting: ['b', 'c'] });
    expect(await admission.release('g', 1, 'a')).toEqual(['b']);
    expect(await admission.release('g', 1, 'a')).toEqual([]);
    expect(await admission.admit('g', 1, 'b')).toBe(true);
    expect(await admission.inspect('g')).toEqual({ holders: ['b'], waiting: ['c'] });
  });

  it('takes a waiting run out of line on release without admitting anyone else', async () => {
    const admission = await gate();
    await admitInTurn(admission, 'g', 1, ['a', 'b', 'c']);
    expect(await admission.release('g', 1, 'b')).toEqual([]);
    expect(await admission.inspect('g')).toEqual({ holders: ['a'], waiting: ['c'] });
    expect(await admission.release('g', 1, 'a')).toEqual(['c']);
  });

  it('admits a run released and queued again at the end of the line', async () => {
    const admission = await gate();
    await admitInTurn(admission, 'g', 1, ['a', 'b', 'c']);
    await admission.release('g', 1, 'b');
    expect(await admission.admit('g', 1, 'b')).toBe(false);
    expect(await admission.inspect('g')).toEqual({ holders: ['a'], waiting: ['c', 'b'] });
  });

  it('does not let a caller with a larger limit overtake runs queued under a smaller one', async () => {
    const admission = await gate();
    await admitInTurn(admission, 'g', 1, ['a', 'b', 'c']);
    // Limit 2 leaves one free slot, and it is b's, the first in line.
    expect(await admission.admit('g', 2, 'd')).toBe(false);
    expect(await admission.admit('g', 2, 'b')).toBe(true);
    expect(await admission.inspect('g')).toEqual({ holders: ['a', 'b'], waiting: ['c', 'd'] });
    // A release fills whatever its limit leaves free, even when it freed nothing.
    expect(await admission.release('g', 3, 'nobody')).toEqual(['c']);
    expect(await admission.inspect('g')).toEqual({ holders: ['a', 'b', 'c'], waiting: ['d'] });
  });

  it('keeps groups apart whatever their names hold: separators, braces, unicode, lone surrogates, length', async () => {
    const admission = await gate();
    const names = ['a', 'a:b', 'a:b:holders', 'tickets', '{other}', '}{', '%3A', ':', '', 'ü/🚀', '\uD800', '\uD801'];
    names.push('x'.repeat(500), `${'x'.repeat(499)}y`);
    // A run of its own per group: two names sharing keys would put the second run in line.
    for (const [i, name] of names.entries()) expect(await admission.admit(name, 1, `r${i}`)).toBe(true);
    for (const [i, name] of names.entries()) {
      expect(await admission.inspect(name)).toEqual({ holders: [`r${i}`], waiting: [] });
    }
  });

  it('keeps every key under the prefix, so one hash tag places them all', async () => {
    const admission = await gate();
    const prefix = harness.prefix;
    await admitInTurn(admission, 'acme/{app}:main', 1, ['a', 'b']);
    const keys = (await redis.command(`KEYS ${prefix}*`)) as string[];
    expect([...keys].sort()).toEqual(
      [
        `${prefix}:run-gate:acme%2F%7Bapp%7D%3Amain:holders`,
        `${prefix}:run-gate:acme%2F%7Bapp%7D%3Amain:line`,
        `${prefix}:run-gate:tickets`,
      ].sort(),
    );
  });

  it('refuses a limit below 1 or not whole, and an empty run id, before reaching Redis', async () => {
    const admission = await gate();
    await expect(admission.admit('g', 0, 'a')).rejects.toMatchObject({ code: 'invalid_concurrency_limit' });
    await expect(admission.release('g', 1.5, 'a')).rejects.toMatchObject({ code: 'invalid_concurrency_limit' });
    await expect(admission.admit('g', 1, '')).rejects.toMatchObject({ code: 'invalid_run_id' });
    expect(await admission.inspect('g')).toEqual({ holders: [], waiting: [] });
  });

  it('runs its scripts again after Redis forgot them (SCRIPT FLUSH answers EVALSHA with NOSCRIPT)', async () => {
    const admission = await gate();
    await admitInTurn(admission, 'g', 1, ['a', 'b']);
    expect(await redis.command('SCRIPT FLUSH')).toBe('OK');
    expect(await admission.admit('g', 1, 'c')).toBe(false);
    expect(await redis.command('SCRIPT FLUSH')).toBe('OK');
    expect(await admission.release('g', 1, 'a')).toEqual(['b']);
  });
});
