import { readdir } from 'node:fs/promises';

import { afterEach, describe, expect, it } from '@jest/globals';

import { type S3rverServer, startS3rver } from './s3rver.js';

const started: S3rverServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

async function start(buckets: string[] = []): Promise<S3rverServer> {
  const server = await startS3rver({ buckets });
  started.push(server);
  return server;
}

/** The HTTP status of an anonymous request (s3rver lists its buckets: 200), or the network error's code. */
async function probe(server: S3rverServer, timeoutMs = 2000): Promise<number | string> {
  try {
    const response = await fetch(server.endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as { name: string }).name;
  }
}

describe('startS3rver', () => {
  it('answers on a free 127.0.0.1 port as soon as it resolves, with the buckets asked for', async () => {
    const server = await start(['first-bucket', 'second-bucket']);
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(server.endpoint);
    expect(server.port).toBeGreaterThan(0);
    expect(await probe(server)).toBe(200);
    expect((await readdir(server.directory)).sort()).toEqual(['first-bucket', 'second-bucket']);
  });

  it('two servers get two ports and two directories', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a?.port).not.toBe(b?.port);
    expect(a?.directory).not.toBe(b?.directory);
  });

  it('kill() ends the process at once; restart() brings it back on the same port with the same data', async () => {
    const server = await start(['kept-bucket']);
    const pid = server.pid;
    await server.kill();
    expect(server.pid).toBeUndefined();
    expect(await probe(server)).toBe('ECONNREFUSED');
    await server.restart();
    expect(server.pid).not.toBe(pid);
    expect(await probe(server)).toBe(200);
    expect(await readdir(server.directory)).toEqual(['kept-bucket']);
  });

  it('pause() leaves connections unanswered until resume()', async () => {
    const server = await start();
    server.pause();
    expect(await probe(server, 300)).toBe('TimeoutError');
    server.resume();
    expect(await probe(server)).toBe(200);
  });

  it('restart() of a running server, and stop() of a paused one, both work', async () => {
    const server = await start();
    await server.restart();
    expect(await probe(server)).toBe(200);
    server.pause();
    await server.stop();
    started.splice(0);
    await expect(readdir(server.directory)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
