import { access } from 'node:fs/promises';

import { afterEach, describe, expect, it } from '@jest/globals';

import { type RedisServer, startRedis } from './redis.js';

const servers: RedisServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

async function start(options?: Parameters<typeof startRedis>[0]): Promise<RedisServer> {
  const server = await startRedis(options);
  servers.push(server);
  return server;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startRedis', () => {
  it('starts a redis-server on a free 127.0.0.1 port that answers at once', async () => {
    const server = await start();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(await server.command('PING')).toBe('PONG');
    expect(await server.command('CONFIG GET maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await server.command('CONFIG GET appendonly')).toEqual(['appendonly', 'no']);
  });

  it('two servers get two ports', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
  });

  it('keeps AOF data across kill -9 and restart, on the same port', async () => {
    const server = await start({ appendOnly: true });
    await server.command('SET survivor yes');
    const firstPid = server.pid!;
    await server.kill();
    expect(isRunning(firstPid)).toBe(false);
    expect(server.pid).toBeUndefined();
    await server.restart();
    expect(server.pid).not.toBe(firstPid);
    expect(await server.command('GET survivor')).toBe('yes');
  });

  it('without AOF a restart starts empty', async () => {
    const server = await start();
    await server.command('SET gone yes');
    await server.restart();
    expect(await server.command('GET gone')).toBeNull();
  });

  it('stop ends the process and deletes the directory it made', async () => {
    const server = await startRedis({ appendOnly: true });
    const pid = server.pid!;
    await server.stop();
    expect(isRunning(pid)).toBe(false);
    await expect(access(server.directory)).rejects.toThrow();
  });

  it('refuses a port another server holds', async () => {
    const first = await start();
    await expect(startRedis({ port: first.port })).rejects.toThrow(/Address already in use/);
  });

  it('in cluster mode owns every slot and refuses keys of two slots in one command', async () => {
    const server = await start({ cluster: true });
    expect(await server.command('SET {t}a 1')).toBe('OK');
    expect(await server.command('MGET {t}a {t}b')).toEqual(['1', null]);
    await expect(server.command('MGET a b')).rejects.toThrow(/CROSSSLOT/);
    await server.restart();
    expect(await server.command('CLUSTER INFO')).toMatch(/cluster_state:ok/);
  });

  it('a command rejects on an error reply', async () => {
    const server = await start();
    await expect(server.command('NOSUCHCOMMAND')).rejects.toThrow(/unknown command/);
  });
});
