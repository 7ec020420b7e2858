import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RedisServer, startRedis } from '@flowline/test-servers';

import { apiTokenEntry, newApiToken } from '../src/commands/token-command.js';
import { serve } from './support/cluster-processes.js';

const REGISTER = new URL('../../../libs/store-fs/src/test-support/register-swc.mjs', import.meta.url).href;
const FLOWLINE = fileURLToPath(new URL('./support/flowline-source.ts', import.meta.url));

const HELLO = `version: 1
name: hello
inputs:
  who: { type: string, default: world }
steps:
  - id: greet
    type: shell
    env: { WHO: "{{inputs.who}}" }
    run: echo "greeting=Hello, $WHO!" >> "$FLOWLINE_OUTPUT"
outputs:
  greeting: "{{steps.greet.outputs.greeting}}"
`;

let redis: RedisServer;
let dir: string;

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'flowline-serve-'));
});
afterAll(async () => {
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('flowline serve', () => {
  it('a coordinator and a worker run a named workflow submitted over HTTP, and both stop cleanly on SIGTERM', async () => {
    const token = newApiToken();
    const workflows = join(dir, 'workflows');
    await mkdir(workflows);
    await writeFile(join(workflows, 'hello.yaml'), HELLO);
    const env = {
      REDIS_URL: redis.url,
      FLOWLINE_REDIS_PREFIX: '{serve-test}',
      FLOWLINE_STATE_DIR: join(dir, 'state'),
      FLOWLINE_TMPDIR: dir,
    };
    const coordinator = await serve('coordinator', {
      ...env,
      PORT: '0',
      FLOWLINE_API_TOKENS: apiTokenEntry(token),
      FLOWLINE_WORKFLOWS_DIR: workflows,
    });
    const worker = await serve('worker', { ...env, WORKER_QUEUES: 'shell' });
    try {
      const url = /listening on (http:\/\/\S+)$/.exec(coordinator.firstLine)?.[1];
      expect(url).toBeDefined();
      expect(worker.firstLine).toMatch(/: ready; queues shell \(4 at a time each\)/);
      const api = (path: string, init: RequestInit = {}) =>
        fetch(`${url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        });
      expect((await fetch(`${url}/v1/runs`)).status).toBe(401);
      const created = await api('/v1/runs', {
        method: 'POST',
        body: JSON.stringify({ workflow: 'hello', inputs: { who: 'Ada' } }),
      });
      expect(created.status).toBe(202);
      const { run_id: runId } = (await created.json()) as { run_id: string };
      const run = await finished(() => api(`/v1/runs/${runId}`));
      expect(run).toMatchObject({ status: 'succeeded', outputs: { greeting: 'Hello, Ada!' } });
    } finally {
      coordinator.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
    }
    expect(await coordinator.exited).toBe(0);
    expect(await worker.exited).toBe(0);
    expect(coordinator.output()).not.toMatch(/error/);
  }, 60_000);
});

describe('flowline serve coordinator on a port that is taken', () => {
  it('says so in one line and exits 1 instead of hanging on its open connections', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '0.0.0.0', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const child = spawn(
        process.execPath,
        ['--conditions=@flowline/source', '--import', REGISTER, FLOWLINE, 'serve', 'coordinator'],
        {
          env: {
            PATH: process.env['PATH'] ?? '/usr/bin:/bin',
            REDIS_URL: redis.url,
            FLOWLINE_REDIS_PREFIX: '{serve-taken}',
            FLOWLINE_STATE_DIR: join(dir, 'taken'),
            FLOWLINE_TMPDIR: dir,
            PORT: String(port),
            FLOWLINE_API_TOKENS: apiTokenEntry(newApiToken()),
          },
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(1);
      expect(stderr).toMatch(/EADDRINUSE/);
    } finally {
      holder.close();
    }
  }, 30_000);
});

async function finished(get: () => Promise<Response>): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const body = (await (await get()).json()) as Record<string, unknown>;
    if (body['status'] !== 'running' && body['status'] !== 'queued') return body;
    if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
