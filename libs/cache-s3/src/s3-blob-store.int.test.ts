import { createHash } from 'node:crypto';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';

import { BUCKET, countCommands, recordHeaders, useS3rver } from './test-support/s3rver-fixture.js';
import { type S3Store } from './s3-store.js';

const s3 = useS3rver();
const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A store with one blob in it, and a directory to restore into. */
async function storeWithBlob(content = 'the original bytes\n', overrides = {}) {
  const store = await s3.store(overrides);
  const dir = await s3.tempDir();
  const source = join(dir, 'source.txt');
  await writeFile(source, content);
  const { digest } = await store.blobs.putFile(source);
  return { store, dir, source, digest, key: store.keyOf({ blob: digest }) };
}

/** Replaces an object behind the store's back, through the same S3 API. */
async function overwrite(store: S3Store, key: string, body: Uint8Array | string): Promise<void> {
  await store.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

async function objectText(store: S3Store, key: string): Promise<string> {
  const object = await store.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return (await object.Body?.transformToString()) ?? '';
}

describe('S3BlobStore on s3rver', () => {
  it('stores a blob at <prefix>blobs/sha256/<first two hex digits>/<digest>', async () => {
    const { store, digest, key } = await storeWithBlob();
    expect(key).toMatch(new RegExp(`^t\\d+/blobs/sha256/${digest.slice(0, 2)}/${digest}$`));
    expect(await objectText(store, key)).toBe('the original bytes\n');
  });

  it('a corrupt object makes getFile throw blob_corrupt; no destination file and no temp file appear', async () => {
    const { store, dir, digest, key } = await storeWithBlob();
    const bytes = Buffer.from('the original bytes\n');
    bytes[3] = bytes[3]! ^ 0x20; // same size, one bit off
    await overwrite(store, key, bytes);
    const out = join(dir, 'restored.txt');
    await expect(store.blobs.getFile(digest, out, 0o644)).rejects.toMatchObject({
      code: 'blob_corrupt',
      message: expect.stringContaining(sha256(bytes)) as unknown,
    });
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual(['source.txt']);
  });

  it('a corrupt object leaves an existing destination untouched', async () => {
    const { store, dir, digest, key } = await storeWithBlob();
    await overwrite(store, key, 'tampered');
    const out = join(dir, 'existing.txt');
    await writeFile(out, 'keep me');
    await expect(store.blobs.getFile(digest, out, 0o644)).rejects.toThrow(/corrupt/);
    expect(await readFile(out, 'utf8')).toBe('keep me');
  });

  it('create-only: storing bytes that are there sends no PUT, and keeps the object that is there', async () => {
    const { store, source, digest, key } = await storeWithBlob();
    // Same size, other bytes: were the store to write again, the object would change back.
    await overwrite(store, key, 'THE ORIGINAL BYTES\n');
    const commands = countCommands(store.client);
    expect(await store.blobs.putFile(source)).toEqual({ digest, size: 19 });
    expect(Object.fromEntries(commands)).toEqual({ HeadObjectCommand: 1 });
    expect(await objectText(store, key)).toBe('THE ORIGINAL BYTES\n');
  });

  it('an object of the wrong size (a torn write) is replaced by the next put', async () => {
    const { store, dir, source, digest, key } = await storeWithBlob();
    await overwrite(store, key, 'the orig');
    await store.blobs.putFile(source);
    await store.blobs.getFile(digest, join(dir, 'out'), 0o644);
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('the original bytes\n');
  });

  it('a new blob is sent with If-None-Match: * and its SHA-256, a replacement without the condition', async () => {
    const store = await s3.store();
    const headers = recordHeaders(store.client);
    const dir = await s3.tempDir();
    await writeFile(join(dir, 'a'), 'new bytes');
    await store.blobs.putFile(join(dir, 'a'));
    const put = headers.find((h) => h.command === 'PutObjectCommand')?.headers;
    expect(put?.['if-none-match']).toBe('*');
    expect(put?.['x-amz-checksum-sha256']).toBe(createHash('sha256').update('new bytes').digest('base64'));

    await overwrite(store, store.keyOf({ blob: sha256('new bytes') }), 'torn');
    headers.length = 0;
    await store.blobs.putFile(join(dir, 'a'));
    const replacement = headers.find((h) => h.command === 'PutObjectCommand')?.headers;
    expect(replacement).toBeDefined();
    expect(replacement?.['if-none-match']).toBeUndefined();
  });

  it('conditionalWrites: false leaves If-None-Match out', async () => {
    const store = await s3.store({ conditionalWrites: false });
    const headers = recordHeaders(store.client);
    const dir = await s3.tempDir();
    await writeFile(join(dir, 'a'), 'unconditional');
    await store.blobs.putFile(join(dir, 'a'));
    const put = headers.find((h) => h.command === 'PutObjectCommand')?.headers;
    expect(put).toBeDefined();
    expect(put?.['if-none-match']).toBeUndefined();
  });

  it('concurrent puts of the same bytes all succeed and store them once, whole', async () => {
    const store = await s3.store();
    const dir = await s3.tempDir();
    const content = 'x'.repeat(256 * 1024);
    const sources = await Promise.all(
      [1, 2, 3, 4].map(async (n) => {
        await writeFile(join(dir, `s${n}`), content);
        return join(dir, `s${n}`);
      }),
    );
    const results = await Promise.all(sources.map((source) => store.blobs.putFile(source)));
    expect(new Set(results.map((r) => r.digest))).toEqual(new Set([sha256(content)]));
    await store.blobs.getFile(sha256(content), join(dir, 'out'), 0o600);
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe(content);
  });

  it('refuses a digest that is not SHA-256 hex before any request', async () => {
    const store = await s3.store();
    const commands = countCommands(store.client);
    await expect(store.blobs.getFile('../../etc/passwd', '/tmp/x', 0o644)).rejects.toMatchObject({
      code: 'invalid_digest',
    });
    await expect(store.blobs.has('ABC')).rejects.toMatchObject({ code: 'invalid_digest' });
    expect(commands.size).toBe(0);
  });

  it('a bucket that does not exist is a blob_store_failed error that says so and is not retryable', async () => {
    const store = await s3.store({ bucket: 'no-such-bucket' });
    const dir = await s3.tempDir();
    await writeFile(join(dir, 'a'), 'bytes');
    const failure = store.blobs.getFile(sha256('bytes'), join(dir, 'out'), 0o644);
    await expect(failure).rejects.toMatchObject({ code: 'blob_store_failed', retryable: false });
    await expect(failure).rejects.toThrow(/NoSuchBucket/);
    await expect(store.blobs.putFile(join(dir, 'a'))).rejects.toMatchObject({ code: 'blob_store_failed' });
  });

  it('a destination in a directory that does not exist fails as the file system error it is', async () => {
    const { store, dir, digest } = await storeWithBlob();
    await expect(store.blobs.getFile(digest, join(dir, 'missing', 'out'), 0o644)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('S3Store.ensureBucket', () => {
  it('createBucket makes a missing bucket, and is a no-op when it exists', async () => {
    const first = await s3.store({ bucket: 'made-by-a-test', prefix: 'same/', createBucket: true });
    const dir = await s3.tempDir();
    await writeFile(join(dir, 'a'), 'in the new bucket');
    const { digest } = await first.blobs.putFile(join(dir, 'a'));
    const second = await s3.store({ bucket: 'made-by-a-test', prefix: 'same/', createBucket: true });
    await second.blobs.getFile(digest, join(dir, 'out'), 0o644);
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('in the new bucket');
  });

  it('of several creators racing for one new bucket, all succeed', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => s3.store({ bucket: 'raced-bucket', createBucket: true })));
    expect(await stores[0]?.blobs.has('0'.repeat(64))).toBe(false);
  });
});
