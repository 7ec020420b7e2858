import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

import { describe, expect, it } from '@jest/globals';

import { BUCKET, useS3rver } from './test-support/s3rver-fixture.js';
import { S3ObjectStore } from './s3-object-store.js';

const s3 = useS3rver();

/** The most commands the client had in flight at once, counted around each `send` (retries included). */
function trackInFlight(store: Awaited<ReturnType<typeof s3.store>>) {
  const seen = { now: 0, max: 0, sent: 0 };
  store.client.middlewareStack.add(
    (next) => async (args) => {
      seen.sent += 1;
      seen.max = Math.max(seen.max, ++seen.now);
      try {
        return await next(args);
      } finally {
        seen.now -= 1;
      }
    },
    { step: 'initialize', name: 'flowlineTestInFlight' },
  );
  return seen;
}

describe('S3 requests in flight are bounded', () => {
  it('a burst of 1,000 blob writes succeeds, never more than maxConcurrentRequests at once', async () => {
    // Before the limit, the SDK queued the burst behind its 50 sockets with each request's
    // 1 s connection timer already running, and writes failed with TimeoutError.
    const store = await s3.store({ maxConcurrentRequests: 8 });
    const inFlight = trackInFlight(store);
    const dir = await s3.tempDir();
    const files = await Promise.all(
      Array.from({ length: 1_000 }, async (_, i) => {
        const file = join(dir, `f${i}`);
        await writeFile(file, `blob ${i}\n`);
        return file;
      }),
    );
    const stored = await Promise.all(files.map((file) => store.blobs.putFile(file)));
    expect(new Set(stored.map((s) => s.digest)).size).toBe(1_000);
    expect(inFlight.max).toBeLessThanOrEqual(8);
    expect(inFlight.max).toBeGreaterThan(1);
  }, 120_000);

  it('a download keeps its slot until its body is read; a request waiting for a slot can be aborted unsent', async () => {
    const store = await s3.store();
    const dir = await s3.tempDir();
    await writeFile(join(dir, 'a'), 'aaa');
    const key = store.keyOf({ blob: (await store.blobs.putFile(join(dir, 'a'))).digest });
    const objects = new S3ObjectStore({ client: store.client, bucket: BUCKET, maxConcurrentRequests: 1 });
    const inFlight = trackInFlight(store);

    const body = (await objects.get(key))!;
    const waiting = new AbortController();
    const head = objects.head(key, waiting.signal);
    waiting.abort(new Error('gave up waiting for a slot'));
    await expect(head).rejects.toThrow('gave up waiting for a slot');
    expect(inFlight.sent).toBe(1); // the GET; the HEAD never left

    body.resume();
    await finished(body);
    expect(await objects.head(key)).toEqual({ size: 3 });
    expect(inFlight.sent).toBe(2);
  });
});
