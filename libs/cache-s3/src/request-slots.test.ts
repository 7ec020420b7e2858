import { describe, expect, it } from '@jest/globals';

import { RequestSlots } from './request-slots.js';

/** Whether `promise` has settled, after everything already queued has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('RequestSlots', () => {
  it('lets `limit` callers through and the next one when a slot is released, in call order', async () => {
    const slots = new RequestSlots(2);
    const first = await slots.acquire();
    await slots.acquire();
    const third = slots.acquire();
    const fourth = slots.acquire();
    expect(await settled(third)).toBe(false);
    first();
    expect(await settled(third)).toBe(true);
    expect(await settled(fourth)).toBe(false);
  });

  it('frees a slot once however often its release is called', async () => {
    const slots = new RequestSlots(1);
    const release = await slots.acquire();
    const second = slots.acquire();
    const third = slots.acquire();
    release();
    release();
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(false);
  });

  it('a waiter whose signal aborts rejects with its reason and takes no slot', async () => {
    const slots = new RequestSlots(1);
    const release = await slots.acquire();
    const controller = new AbortController();
    const aborted = slots.acquire(controller.signal);
    const next = slots.acquire();
    controller.abort(new Error('timed out'));
    await expect(aborted).rejects.toThrow('timed out');
    release();
    expect(await settled(next)).toBe(true);
    await expect(slots.acquire(controller.signal)).rejects.toThrow('timed out');
  });

  it('run() releases the slot when the work fails', async () => {
    const slots = new RequestSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await settled(slots.acquire())).toBe(true);
  });
});
