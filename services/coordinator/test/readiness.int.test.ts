import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Fixture, TOKEN, startFixture } from './support/coordinator-fixture.js';
import { createCoordinatorApp, parseTokenDigests, tokenDigest } from '../src/index.js';

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture();
});

afterAll(async () => {
  await fx?.stop();
}, 30_000);

/** Polls `path` until it answers `status`. */
async function answers(path: string, status: number, timeoutMs = 15_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fx.api(path, { token: null });
    if (response.status === status) return response;
    await response.body?.cancel();
    if (Date.now() > deadline) throw new Error(`${path} still answers ${response.status}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('readiness', () => {
  it('is ready while Redis answers, 503 with a reason once it is gone, and ready again when it is back', async () => {
    expect(await (await answers('/readyz', 200)).json()).toEqual({ status: 'ok' });
    await fx.redis.kill();
    try {
      const down = await answers('/readyz', 503);
      expect(await down.json()).toEqual({ status: 'unavailable', reason: expect.stringContaining('2000 ms') });
      // Liveness does not depend on Redis: restarting the coordinator would not bring Redis back.
      expect((await fx.api('/healthz', { token: null })).status).toBe(200);
      const metrics = await fx.api('/metrics', { token: null });
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toMatch(/^flowline_queue_depth_errors_total [1-9]/m);
      expect(text).not.toMatch(/^flowline_queue_jobs\{/m);
    } finally {
      await fx.redis.restart();
    }
    await answers('/readyz', 200);
    const metrics = await (await fx.api('/metrics', { token: null })).text();
    expect(metrics).toMatch(/^flowline_queue_jobs\{queue="shell",state="waiting"\} 0$/m);
  }, 30_000);
});

describe('configuration', () => {
  it('takes only token digests: a plain token, or none at all, refuses to start', () => {
    expect(parseTokenDigests([tokenDigest(TOKEN)])).toHaveLength(1);
    expect(() => parseTokenDigests([TOKEN])).toThrow(/digest #1 is not "sha256:"/);
    expect(() => parseTokenDigests([])).toThrow(/no API token digests/);
    const deps = {
      control: undefined as never,
      runs: fx.stores.runs,
      logs: fx.stores.logs,
      deadLetters: fx.stores.deadLetters,
      workflows: undefined as never,
      depths: () => Promise.resolve({}),
      ready: () => Promise.resolve(),
      workflowsDir: fx.root,
      secrets: {},
    };
    expect(() => createCoordinatorApp({ ...deps, tokenDigests: [TOKEN] })).toThrow(/not "sha256:"/);
  });
});
