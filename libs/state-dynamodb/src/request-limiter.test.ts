import { describe, expect, it } from '@jest/globals';

import { RequestLimiter } from './request-limiter.js';

/** A piece of work that finishes when the test says so. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('RequestLimiter', () => {
  it('runs at most `limit` at once, the rest in call order, and passes results and errors through', async () => {
    const limiter = new RequestLimiter(2);
    const gates = Array.from({ length: 5 }, gate);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const results = gates.map((g, i) =>
      limiter.run(async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await g.opened;
        running--;
        if (i === 3) throw new Error('four');
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    for (const g of gates) g.open();
    const settled = await Promise.allSettled(results);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'rejected'))).toEqual([0, 1, 2, 'rejected', 4]);
    expect(await limiter.run(() => Promise.resolve('free again'))).toBe('free again');
  });
});
