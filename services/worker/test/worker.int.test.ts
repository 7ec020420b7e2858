import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { RunCoordinator, WorkflowStore } from '@flowline/cluster';
import type { RunRecord } from '@flowline/ports';
import {
  type BullmqStepDispatcher,
  type RedisRunAdmission,
  createRunAdmission,
  createStepDispatcher,
} from '@flowline/queue-bullmq';
import { type ClusterStores, openClusterStores, parseServiceConfig } from '@flowline/service-config';
import { KILL_GRACE_MS } from '@flowline/worker';
import { type RedisServer, startRedis } from '@flowline/test-servers';

import { type WorkerProcess, eventually, processesWith, spawnWorker, startWorkerProcess } from './worker-process.js';

/**
 * The worker service as a real process (services/worker/src/main.ts), on a
 * real redis-server and file stores, under bubblewrap; a RunCoordinator in
 * the test process submits runs and applies the worker's reports.
 */
let redis: RedisServer;
let dir: string;
let env: Record<string, string>;
let stores: ClusterStores;
let dispatcher: BullmqStepDispatcher;
let admission: RedisRunAdmission;
let coordinator: RunCoordinator;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'flowline-worker-test-'));
  env = {
    REDIS_URL: redis.url,
    FLOWLINE_REDIS_PREFIX: `{worker-test-${randomUUID().slice(0, 8)}}`,
    FLOWLINE_STATE_DIR: join(dir, 'state'),
    FLOWLINE_TMPDIR: dir,
    WORKER_CONCURRENCY: '2',
    WORKER_SHUTDOWN_GRACE: '20s',
    GREETING_TOKEN: 'hunter2-s3cret',
  };
  stores = await openClusterStores(parseServiceConfig(env, 'worker'));
  const queues = { redisUrl: redis.url, prefix: env['FLOWLINE_REDIS_PREFIX'] };
  [dispatcher, admission] = await Promise.all([createStepDispatcher(queues), createRunAdmission(queues)]);
  const workflows = new WorkflowStore(stores.blobs, dir);
  coordinator = new RunCoordinator({ ...stores, workflows, dispatcher, admission, clock: Date.now, secrets: {} });
  await coordinator.start();
}, 30_000);

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill()));
});

afterAll(async () => {
  await Promise.all([dispatcher.close(), admission.close()]);
  await stores.close();
  await redis.stop();
  await rm(dir, { recursive: true, force: true });
});

async function startWorker(extra: Record<string, string> = {}): Promise<WorkerProcess> {
  const worker = await startWorkerProcess({ ...env, ...extra });
  workers.push(worker);
  return worker;
}

async function submit(text: string): Promise<string> {
  const runId = `r-${randomUUID().slice(0, 8)}`;
  await coordinator.submit({ runId, bundle: { file: 'test.yaml', text, templateFiles: {} }, inputs: {} });
  return runId;
}

function finished(runId: string, timeoutMs = 30_000): Promise<RunRecord> {
  return eventually(
    `run ${runId} to finish`,
    async () => {
      const record = await stores.runs.get(runId);
      return record !== undefined && record.status !== 'running' ? record : undefined;
    },
    timeoutMs,
  );
}

/** A one-step workflow whose step sleeps; the sleep's unusual duration marks its process in /proc. */
function sleeper(seconds: string): string {
  return ['version: 1', 'name: sleeper', 'steps:', `  - { id: nap, type: shell, run: "sleep ${seconds}" }`].join('\n');
}

describe('the worker process', () => {
  it('runs a run to the end: the workspace carries between steps, declared secrets arrive and are masked', async () => {
    await startWorker();
    const runId = await submit(
      [
        'version: 1',
        'name: carry',
        'secrets: [GREETING_TOKEN]',
        'steps:',
        '  - id: write',
        '    type: shell',
        '    run: |',
        '      echo hello > greeting.txt',
        '      printf %s "$GREETING_TOKEN" | wc -c > length.txt',
        '  - id: read',
        '    type: shell',
        '    needs: [write]',
        '    run: |',
        '      echo "text=$(cat greeting.txt)" >> "$FLOWLINE_OUTPUT"',
        '      echo "length=$(cat length.txt)" >> "$FLOWLINE_OUTPUT"',
        '      echo "token is $GREETING_TOKEN"',
        '      test -z "$REDIS_URL"',
        'outputs:',
        '  text: "{{steps.read.outputs.text}}"',
        '  length: "{{steps.read.outputs.length}}"',
      ].join('\n'),
    );
    const record = await finished(runId);
    expect(record.status).toBe('succeeded');
    expect(record.outputs).toEqual({ text: 'hello', length: '14' });
    const log = await stores.logs.read(runId, 'read');
    expect(log).toContain('token is ***');
    expect(log).not.toContain('hunter2');
  }, 60_000);

  it('on SIGTERM finishes the running step, reports it, and exits 0', async () => {
    const worker = await startWorker();
    const runId = await submit(sleeper('2.0137'));
    await eventually('the step to start', async () =>
      (await processesWith('sleep 2.0137')).length > 0 ? true : undefined,
    );
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.stderr()).toMatch(/stopping: taking no new steps; 1 running step\(s\) have 20 s to finish/);
    // No other worker runs: the run can only have finished by the report the stopping worker sent.
    expect((await finished(runId)).status).toBe('succeeded');
  }, 60_000);

  it('a cancel kills the running step’s processes within 5 s, and the worker carries on', async () => {
    const worker = await startWorker();
    const runId = await submit(sleeper('60.4711'));
    await eventually('the step to start', async () =>
      (await processesWith('sleep 60.4711')).length > 0 ? true : undefined,
    );
    const cancelledAt = Date.now();
    await coordinator.cancel(runId);
    await eventually(
      'the step to die',
      async () => ((await processesWith('sleep 60.4711')).length === 0 ? true : undefined),
      10_000,
    );
    expect(Date.now() - cancelledAt).toBeLessThan(5_000);
    expect((await stores.runs.get(runId))?.status).toBe('cancelled');
    // Still serving: a new run completes on the same worker.
    expect((await finished(await submit(sleeper('0.01')))).status).toBe('succeeded');
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('a step that ignores SIGTERM is killed after the 3 s grace: still within 5 s of the cancel', async () => {
    // Unsandboxed, so the step's own process group gets the signals (bubblewrap would die on SIGTERM at once).
    await startWorker({ FLOWLINE_SANDBOX: 'none' });
    const text = [
      'version: 1',
      'name: stubborn',
      'steps:',
      '  - id: nap',
      '    type: shell',
      '    run: |',
      "      trap '' TERM",
      '      sleep 60.6173',
    ].join('\n');
    const runId = await submit(text);
    await eventually('the step to start', async () =>
      (await processesWith('sleep 60.6173')).length > 0 ? true : undefined,
    );
    const cancelledAt = Date.now();
    await coordinator.cancel(runId);
    await eventually(
      'the step to die',
      async () => ((await processesWith('sleep 60.6173')).length === 0 ? true : undefined),
      10_000,
    );
    const elapsed = Date.now() - cancelledAt;
    expect(elapsed).toBeGreaterThanOrEqual(KILL_GRACE_MS - 500);
    expect(elapsed).toBeLessThan(5_000);
  }, 60_000);

  it('past WORKER_SHUTDOWN_GRACE hands the step back to the queue, kills it, and exits 0', async () => {
    // An earlier test's cancelled attempt may still be reporting: start from a queue with nothing active.
    await eventually('the queue to be idle', async () =>
      (await dispatcher.depths())['shell']?.active === 0 ? true : undefined,
    );
    const worker = await startWorker({ WORKER_SHUTDOWN_GRACE: '500ms' });
    const runId = await submit(sleeper('60.5129'));
    await eventually('the step to start', async () =>
      (await processesWith('sleep 60.5129')).length > 0 ? true : undefined,
    );
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.stderr()).toMatch(/handing 1 running step\(s\) back to the queue/);
    expect(await processesWith('sleep 60.5129')).toEqual([]);
    // Back in the queue at once (not after a stall), for the next worker.
    expect((await dispatcher.depths())['shell']).toMatchObject({ active: 0, prioritized: 1 });
    expect((await stores.runs.get(runId))?.status).toBe('running');
    await coordinator.cancel(runId);
  }, 60_000);

  it('bad configuration: one line per problem on stderr, exit 2', async () => {
    const worker = spawnWorker({ REDIS_URL: 'http://nope', WORKER_QUEUES: 'shell,bash' });
    expect(await worker.exited).toEqual({ code: 2, signal: null });
    expect(worker.stderr()).toBe(
      [
        'flowline worker: error: REDIS_URL=http://nope: expected redis://[user:password@]host:port[/db] or rediss://…',
        'flowline worker: error: WORKER_QUEUES=shell,bash: expected a comma-separated list of shell, claude_code, assert, template, webhook',
        '',
      ].join('\n'),
    );
  });
});
