import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';

import { type RedisServer, startRedis } from '../../test-servers/src/redis.js';
import type { RedisRunAdmission } from './redis-run-admission.js';
import { AdmissionHarness, admitInTurn, runIds } from './test-support/admission-harness.js';

let harness: AdmissionHarness | undefined;

afterEach(async () => {
  await harness?.closeAll();
  harness = undefined;
});

describe('two coordinators racing for one group', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('(50 concurrent admits, limit 3) admit exactly 3, queue 47, then admit every run once in line order', async () => {
    const h = (harness = new AdmissionHarness(redis.url));
    const coordinators = [await h.gate(), await h.gate()] as const;
    const ids = runIds(50);
    const byCoordinator = (i: number): RedisRunAdmission => coordinators[i % 2]!;
    // All 50 in flight at once, alternating between the two connections.
    const answers = await Promise.all(ids.map((id, i) => byCoordinator(i).admit('acme/app', 3, id)));
    const admitted = ids.filter((_, i) => answers[i]);
    expect(admitted).toHaveLength(3);

    const { holders, waiting } = await coordinators[0].inspect('acme/app');
    expect([...holders].sort()).toEqual([...admitted].sort());
    expect(waiting).toHaveLength(47);
    expect(new Set([...holders, ...waiting])).toEqual(new Set(ids));
    // One connection delivers its commands in order, so each coordinator's runs queue in the order it sent them.
    for (const parity of [0, 1]) {
      const sent = ids.filter((_, i) => i % 2 === parity);
      expect(waiting.filter((id) => sent.includes(id))).toEqual(sent.filter((id) => waiting.includes(id)));
    }

    const promoted: string[] = [];
    const running = [...holders];
    for (let turn = 0; running.length > 0; turn++) {
      const done = running.shift()!;
      const next = await byCoordinator(turn).release('acme/app', 3, done);
      promoted.push(...next);
      running.push(...next);
    }
    expect(promoted).toEqual(waiting);
    expect([...holders, ...promoted].sort()).toEqual([...ids].sort());
    expect(await coordinators[1].inspect('acme/app')).toEqual({ holders: [], waiting: [] });
  });

  it('(releases racing admits) never lets more than the limit hold a slot', async () => {
    const h = (harness = new AdmissionHarness(redis.url));
    const [a, b] = [await h.gate(), await h.gate()];
    const ids = runIds(40);
    await Promise.all(ids.slice(0, 20).map((id) => a.admit('g', 2, id)));
    const first = (await a.inspect('g')).holders;
    // Releases of the holders on one connection while new runs arrive on the other.
    const [released] = await Promise.all([
      Promise.all(first.map((id) => a.release('g', 2, id))),
      Promise.all(ids.slice(20).map((id) => b.admit('g', 2, id))),
    ]);
    const state = await b.inspect('g');
    expect(state.holders).toHaveLength(2);
    expect(state.holders).toEqual(released.flat());
    expect(state.holders.length + state.waiting.length).toBe(38);
  });
});

describe('a Redis restart', () => {
  let durable: RedisServer;

  beforeAll(async () => {
    durable = await startRedis({ appendOnly: true });
  });
  afterAll(async () => {
    await durable.stop();
  });

  it('(kill -9, AOF on) keeps holders, line and tickets; gates carry on after it', async () => {
    const h = (harness = new AdmissionHarness(durable.url));
    const admission = await h.gate();
    await admitInTurn(admission, 'g', 1, ['a', 'b', 'c']);
    await durable.kill();
    await durable.restart();
    // A new Redis has no scripts cached: these calls take the EVAL path.
    expect(await admission.admit('g', 1, 'd')).toBe(false);
    expect(await admission.inspect('g')).toEqual({ holders: ['a'], waiting: ['b', 'c', 'd'] });
    expect(await admission.release('g', 1, 'a')).toEqual(['b']);
  }, 20_000);
});

describe('on Redis Cluster', () => {
  let cluster: RedisServer;

  beforeAll(async () => {
    cluster = await startRedis({ cluster: true });
  });
  afterAll(async () => {
    await cluster.stop();
  });

  it('admits and releases: every script and MULTI stays in the prefix hash tag slot', async () => {
    const h = (harness = new AdmissionHarness(cluster.url, { cluster: true }));
    const admission = await h.gate();
    expect(await admitInTurn(admission, 'acme/{app}:main', 1, ['a', 'b'])).toEqual([true, false]);
    expect(await admission.inspect('acme/{app}:main')).toEqual({ holders: ['a'], waiting: ['b'] });
    expect(await admission.release('acme/{app}:main', 1, 'a')).toEqual(['b']);
  });
});
