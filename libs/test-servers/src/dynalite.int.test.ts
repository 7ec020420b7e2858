import { access } from 'node:fs/promises';

import { afterEach, describe, expect, it } from '@jest/globals';

import { type DynaliteServer, startDynalite } from './dynalite.js';

const started: DynaliteServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

async function start(options: Parameters<typeof startDynalite>[0] = {}): Promise<DynaliteServer> {
  const server = await startDynalite(options);
  started.push(server);
  return server;
}

/** One DynamoDB API call over plain HTTP (dynalite checks the headers are there, not the signature). */
async function call(server: DynaliteServer, action: string, body: object, timeoutMs = 2000): Promise<unknown> {
  const response = await fetch(server.endpoint, {
    method: 'POST',
    signal: AbortSignal.timeout(timeoutMs),
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${action}`,
      'x-amz-date': '20250101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=flowline/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  return await response.json();
}

async function tableNames(server: DynaliteServer): Promise<unknown> {
  return ((await call(server, 'ListTables', {})) as { TableNames: unknown }).TableNames;
}

async function createTable(server: DynaliteServer, name: string): Promise<void> {
  await call(server, 'CreateTable', {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
  });
}

async function tableStatus(server: DynaliteServer, name: string): Promise<string> {
  const described = await call(server, 'DescribeTable', { TableName: name });
  return (described as { Table: { TableStatus: string } }).Table.TableStatus;
}

/** The network error's code (ECONNREFUSED), or the abort's name (TimeoutError). */
async function failure(server: DynaliteServer, timeoutMs: number): Promise<string> {
  try {
    await call(server, 'ListTables', {}, timeoutMs);
    return 'answered';
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as { name: string }).name;
  }
}

describe('startDynalite', () => {
  it('answers the DynamoDB API on a free 127.0.0.1 port as soon as it resolves; a new table turns ACTIVE at once', async () => {
    const server = await start();
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(server.endpoint);
    expect(server.directory).toBeUndefined();
    expect(await tableNames(server)).toEqual([]);
    await createTable(server, 'runs');
    // createTableMs is 0, but dynalite flips the status on a timer: under load that is a few ms later.
    const deadline = Date.now() + 2_000;
    while ((await tableStatus(server, 'runs')) !== 'ACTIVE' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await tableStatus(server, 'runs')).toBe('ACTIVE');
    expect(await tableNames(server)).toEqual(['runs']);
  });

  it('two servers get two ports and separate data', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.port).not.toBe(b.port);
    await createTable(a, 'only-in-a');
    expect(await tableNames(b)).toEqual([]);
  });

  it('kill() ends the process at once; restart() comes back on the same port, empty when in memory', async () => {
    const server = await start();
    await createTable(server, 'lost');
    const pid = server.pid;
    await server.kill();
    expect(server.pid).toBeUndefined();
    expect(await failure(server, 2000)).toBe('ECONNREFUSED');
    await server.restart();
    expect(server.pid).not.toBe(pid);
    expect(await tableNames(server)).toEqual([]);
  });

  it('a persistent server keeps its tables across kill() and restart(); stop() deletes them', async () => {
    const server = await start({ persistent: true });
    await createTable(server, 'kept');
    await server.kill();
    await server.restart();
    expect(await tableNames(server)).toEqual(['kept']);
    await server.stop();
    started.splice(0);
    await expect(access(server.directory!)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('pause() leaves requests unanswered until resume()', async () => {
    const server = await start();
    server.pause();
    expect(await failure(server, 300)).toBe('TimeoutError');
    server.resume();
    expect(await tableNames(server)).toEqual([]);
  });
});
