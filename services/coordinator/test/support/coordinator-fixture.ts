import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { StepWorker, WorkflowStore } from '@flowline/cluster';
import { loadExecutorConfig } from '@flowline/executors';
import { createStepConsumer } from '@flowline/queue-bullmq';
import { createSandbox } from '@flowline/sandbox';
import { type ClusterStores, openClusterStores, parseServiceConfig } from '@flowline/service-config';
import { type RedisServer, startRedis } from '@flowline/test-servers';

import { type ApiLogEntry, type CoordinatorService, startCoordinatorService, tokenDigest } from '../../src/index.js';

/** The token the fixture's coordinator accepts (only its digest is configured). */
export const TOKEN = 'test-token-0123456789';

export interface FixtureOptions {
  /** Workflows to put in the coordinator's workflows directory, by name. */
  readonly workflows?: Readonly<Record<string, string>>;
  /** Coordinator services over the same Redis and state directory, each with its own store objects. Default 1. */
  readonly coordinators?: number;
}

export interface ApiCall {
  readonly method?: string;
  /** JSON-encoded unless a string (sent as is). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The bearer token; null sends no Authorization header. Default TOKEN. */
  readonly token?: string | null;
}

/**
 * A coordinator service over a real redis-server and the file stores, and
 * one worker (no sandbox: steps may read the test's files) running its
 * steps, so runs submitted over HTTP really execute.
 */
export interface Fixture {
  /** The first coordinator, which `api` talks to. */
  readonly service: CoordinatorService;
  readonly services: readonly CoordinatorService[];
  readonly url: string;
  readonly root: string;
  readonly redis: RedisServer;
  readonly stores: ClusterStores;
  /** Error and warning lines the API logged. */
  readonly logged: ApiLogEntry[];
  api(path: string, call?: ApiCall): Promise<Response>;
  /** A call to the given coordinator. */
  apiOf(service: CoordinatorService, path: string, call?: ApiCall): Promise<Response>;
  /** Polls GET /v1/runs/:id until the run's status is one of `statuses`. */
  runReaches(runId: string, statuses: readonly string[], timeoutMs?: number): Promise<RunBody>;
  stop(): Promise<void>;
}

export interface RunBody {
  readonly run_id: string;
  readonly status: string;
  readonly outputs: Record<string, string>;
  readonly steps: {
    key: string;
    status: string;
    attempt: number;
    started_at: string | null;
    error: { code: string } | null;
  }[];
}

export async function startFixture(options: FixtureOptions = {}): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'flowline-coordinator-'));
  const workflowsDir = join(root, 'workflows');
  await mkdir(workflowsDir);
  for (const [name, text] of Object.entries(options.workflows ?? {})) {
    await writeFile(join(workflowsDir, `${name}.yaml`), text);
  }
  const redis = await startRedis();
  const stateDir = join(root, 'state');
  const stores = await fileStores(redis.url, stateDir, root);
  const prefix = '{flowline-api-test}';
  const logged: ApiLogEntry[] = [];
  const services: CoordinatorService[] = [];
  for (let i = 0; i < (options.coordinators ?? 1); i++) {
    const tempDir = join(root, `coordinator-${i}`);
    await mkdir(tempDir);
    services.push(
      await startCoordinatorService({
        stores: i === 0 ? stores : await fileStores(redis.url, stateDir, tempDir),
        redisUrl: redis.url,
        prefix,
        port: 0,
        host: '127.0.0.1',
        tokenDigests: [tokenDigest(TOKEN)],
        workflowsDir,
        secrets: {},
        tempDir,
        log: (entry) => logged.push(entry),
      }),
    );
  }
  const stopWorker = await startWorker(root, stores, redis.url, prefix);
  const service = services[0]!;
  const api = (path: string, call: ApiCall = {}) => request(service.url, path, call);
  return {
    service,
    services,
    url: service.url,
    root,
    redis,
    stores,
    logged,
    api,
    apiOf: (other, path, call = {}) => request(other.url, path, call),
    runReaches: (runId, statuses, timeoutMs) => runReaches(api, runId, statuses, timeoutMs),
    async stop() {
      await stopWorker();
      for (const each of services) await each.close();
      await redis.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The file stores exactly as `flowline serve coordinator` opens them (FLOWLINE_STATE=file). */
function fileStores(redisUrl: string, stateDir: string, tempDir: string): Promise<ClusterStores> {
  const env = {
    REDIS_URL: redisUrl,
    FLOWLINE_STATE_DIR: stateDir,
    FLOWLINE_TMPDIR: tempDir,
    FLOWLINE_API_TOKENS: tokenDigest(TOKEN),
  };
  return openClusterStores(parseServiceConfig(env, 'coordinator'));
}

async function startWorker(root: string, stores: ClusterStores, redisUrl: string, prefix: string) {
  const tempDir = join(root, 'worker');
  await mkdir(tempDir);
  const consumer = await createStepConsumer({ redisUrl, prefix, workerId: 'worker-1' });
  const worker = new StepWorker({
    ...stores,
    sandbox: createSandbox({ mode: 'none' }).sandbox,
    config: loadExecutorConfig({}),
    clock: Date.now,
    tempDir,
    warn: () => undefined,
    workflows: new WorkflowStore(stores.blobs, tempDir),
    consumer,
    workerId: 'worker-1',
    secrets: {},
  });
  worker.start(['shell', 'claude_code', 'assert', 'template', 'webhook'], 4);
  return () => consumer.close({ force: true });
}

async function request(base: string, path: string, call: ApiCall): Promise<Response> {
  const token = call.token === undefined ? TOKEN : call.token;
  const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${token}` }) };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
  }
  return fetch(`${base}${path}`, {
    method: call.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...headers, ...call.headers },
    ...(body === undefined ? {} : { body }),
  });
}

async function runReaches(
  api: Fixture['api'],
  runId: string,
  statuses: readonly string[],
  timeoutMs = 30_000,
): Promise<RunBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api(`/v1/runs/${runId}`);
    if (response.status !== 200) throw new Error(`GET /v1/runs/${runId}: ${response.status} ${await response.text()}`);
    const run = (await response.json()) as RunBody;
    if (statuses.includes(run.status)) return run;
    if (Date.now() > deadline) {
      throw new Error(`run ${runId} is ${run.status}, not ${statuses.join('/')}: ${JSON.stringify(run.steps)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
