import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from '@jest/globals';

import { countCommands, useS3rver } from './test-support/s3rver-fixture.js';

const s3 = useS3rver();
let shared = 0;

/** A blob stored by one process (its own client), and a worker with a snapshot cache on the same prefix. */
async function blobAndWorker(content = 'bytes a worker needs\n') {
  const prefix = `shared${++shared}/`;
  const producer = await s3.store({ prefix });
  const dir = await s3.tempDir();
  await writeFile(join(dir, 'source'), content);
  const { digest } = await producer.blobs.putFile(join(dir, 'source'));
  const worker = await s3.store({ prefix });
  const commands = countCommands(worker.client);
  const blobs = worker.cachingBlobs(join(dir, 'snapshots'));
  return { producer, worker, blobs, commands, dir, digest, content };
}

describe('CachingBlobStore: the local snapshot cache', () => {
  it('downloads a blob once however often and however concurrently it is restored', async () => {
    const { blobs, commands, dir, digest, content } = await blobAndWorker();
    await blobs.getFile(digest, join(dir, 'out-1'), 0o644);
    await blobs.getFile(digest, join(dir, 'out-2'), 0o755);
    await Promise.all([3, 4, 5, 6, 7].map((n) => blobs.getFile(digest, join(dir, `out-${n}`), 0o644)));
    expect(commands.get('GetObjectCommand')).toBe(1);
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect(await readFile(join(dir, `out-${n}`), 'utf8')).toBe(content);
  });

  it('concurrent first reads of one blob share a single download', async () => {
    const { blobs, commands, dir, digest } = await blobAndWorker('x'.repeat(2 * 1024 * 1024));
    await Promise.all([1, 2, 3, 4].map((n) => blobs.getFile(digest, join(dir, `out-${n}`), 0o644)));
    expect(commands.get('GetObjectCommand')).toBe(1);
  });

  it('never downloads a blob it stored itself', async () => {
    const { blobs, commands, dir } = await blobAndWorker();
    await writeFile(join(dir, 'mine'), 'made on this worker');
    const { digest } = await blobs.putFile(join(dir, 'mine'));
    await blobs.getFile(digest, join(dir, 'out'), 0o644);
    expect(await readFile(join(dir, 'out'), 'utf8')).toBe('made on this worker');
    expect(commands.get('GetObjectCommand')).toBeUndefined();
    expect(commands.get('PutObjectCommand')).toBe(1);
  });

  it('stores a blob it already stored without asking S3 again (a workflow bundle submitted run after run)', async () => {
    const { blobs, commands, dir } = await blobAndWorker();
    await writeFile(join(dir, 'bundle'), 'the same bundle');
    const first = await blobs.putFile(join(dir, 'bundle'));
    const asked = [...commands.values()].reduce((a, b) => a + b, 0);
    const again = await blobs.putFile(join(dir, 'bundle'));
    expect(again.digest).toBe(first.digest);
    expect([...commands.values()].reduce((a, b) => a + b, 0)).toBe(asked);
  });

  it('keeps blobs at <dir>/<first two hex digits>/<the rest>, with nothing left in incoming/', async () => {
    const { blobs, dir, digest, content } = await blobAndWorker();
    await blobs.getFile(digest, join(dir, 'out'), 0o644);
    expect(blobs.local.pathOf(digest)).toBe(join(dir, 'snapshots', digest.slice(0, 2), digest.slice(2)));
    expect(await readFile(blobs.local.pathOf(digest), 'utf8')).toBe(content);
    expect(await readdir(join(dir, 'snapshots', 'incoming'))).toEqual([]);
  });

  it('a damaged local copy is dropped and fetched again, and the right bytes land', async () => {
    const { blobs, commands, dir, digest, content } = await blobAndWorker();
    await blobs.getFile(digest, join(dir, 'out-1'), 0o644);
    await writeFile(blobs.local.pathOf(digest), content.toUpperCase());
    await blobs.getFile(digest, join(dir, 'out-2'), 0o644);
    expect(await readFile(join(dir, 'out-2'), 'utf8')).toBe(content);
    expect(commands.get('GetObjectCommand')).toBe(2);
  });

  it('a blob pruned from the local cache is downloaded again when next needed', async () => {
    const { blobs, commands, dir, digest, content } = await blobAndWorker();
    await blobs.getFile(digest, join(dir, 'out-1'), 0o644);
    expect(await blobs.local.prune(0)).toMatchObject({ removed: 1 });
    await blobs.getFile(digest, join(dir, 'out-2'), 0o644);
    expect(await readFile(join(dir, 'out-2'), 'utf8')).toBe(content);
    expect(commands.get('GetObjectCommand')).toBe(2);
  });

  it('a corrupt remote object is never cached locally', async () => {
    const { producer, blobs, dir, digest } = await blobAndWorker();
    const key = producer.keyOf({ blob: digest });
    await producer.client.send(new PutObjectCommand({ Bucket: producer.bucket, Key: key, Body: 'tampered' }));
    await expect(blobs.getFile(digest, join(dir, 'out'), 0o644)).rejects.toMatchObject({ code: 'blob_corrupt' });
    expect(await blobs.local.has(digest)).toBe(false);
  });

  it('has() answers for the shared store: a blob only this worker holds is not stored', async () => {
    const { blobs, dir } = await blobAndWorker();
    await writeFile(join(dir, 'local-only'), 'never uploaded');
    const { digest } = await blobs.local.putFile(join(dir, 'local-only'));
    expect(digest).toBe(createHash('sha256').update('never uploaded').digest('hex'));
    expect(await blobs.has(digest)).toBe(false);
  });
});
