import { describe, expect, it } from '@jest/globals';

import type { StepCache } from '../step-cache.js';
import { type Factory, cacheEntry, cacheKey } from './fixtures.js';

/** What every StepCache adapter must do (filesystem, S3…), given a factory of fresh, empty caches. */
export function describeStepCacheContract(name: string, makeCache: Factory<StepCache>): void {
  describe(`${name}: StepCache contract`, () => {
    it('misses an unknown key', async () => {
      const cache = await makeCache();
      expect(await cache.get(cacheKey('unknown'), 0)).toBeUndefined();
    });

    it('hits after a put, with the entry exactly as stored', async () => {
      const cache = await makeCache();
      const entry = cacheEntry(cacheKey('hit'));
      await cache.put(entry);
      expect(await cache.get(entry.key, 5_000)).toEqual(entry);
    });

    it('misses an entry at and after its expiry', async () => {
      const cache = await makeCache();
      const entry = cacheEntry(cacheKey('ttl'), { expiresAt: 10_000 });
      await cache.put(entry);
      expect(await cache.get(entry.key, 9_999)).toEqual(entry);
      expect(await cache.get(entry.key, 10_000)).toBeUndefined();
      expect(await cache.get(entry.key, 99_000)).toBeUndefined();
    });

    it('a put replaces the entry under the same key', async () => {
      const cache = await makeCache();
      const key = cacheKey('replace');
      await cache.put(cacheEntry(key, { outputs: { v: 1 } }));
      await cache.put(cacheEntry(key, { outputs: { v: 2 }, expiresAt: 20_000 }));
      expect(await cache.get(key, 15_000)).toMatchObject({ outputs: { v: 2 }, expiresAt: 20_000 });
    });

    it('keeps keys apart', async () => {
      const cache = await makeCache();
      const [a, b] = [cacheKey('a'), cacheKey('b')];
      await cache.put(cacheEntry(a, { outputs: { who: 'a' } }));
      expect(await cache.get(b, 0)).toBeUndefined();
      await cache.put(cacheEntry(b, { outputs: { who: 'b' } }));
      expect((await cache.get(a, 0))?.outputs).toEqual({ who: 'a' });
      expect((await cache.get(b, 0))?.outputs).toEqual({ who: 'b' });
    });

    it('keeps every JSON value type and a large output intact', async () => {
      const cache = await makeCache();
      const outputs = { n: -1.5e-7, t: true, f: false, z: null, s: 'x'.repeat(200_000), nested: [{ a: [1, '2'] }] };
      const entry = cacheEntry(cacheKey('types'), { outputs });
      await cache.put(entry);
      expect(await cache.get(entry.key, 0)).toEqual(entry);
    });

    it('concurrent puts of one key leave one whole entry', async () => {
      const cache = await makeCache();
      const key = cacheKey('race');
      await Promise.all([1, 2, 3, 4].map((v) => cache.put(cacheEntry(key, { outputs: { v } }))));
      const hit = await cache.get(key, 0);
      expect([1, 2, 3, 4]).toContain(hit?.outputs['v']);
    });
  });
}
