import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import {
  type DynaliteServer,
  type RedisServer,
  type S3rverServer,
  startDynalite,
  startRedis,
  startS3rver,
} from '@flowline/test-servers';

import { apiTokenEntry, newApiToken } from '../../src/commands/token-command.js';
import { FLOWLINE_SOURCE_ARGS } from './flowline-process.js';

/** A `flowline serve` process. */
export interface ServiceProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly firstLine: string;
  readonly exited: Promise<number | null>;
  output(): string;
  /** SIGKILL, as a crash, and wait until it is gone. */
  kill(): Promise<void>;
}

/**
 * The production stack on one machine, every part its own process:
 * redis-server (AOF on), dynalite for DynamoDB, s3rver for S3, one
 * `flowline serve coordinator` and two `flowline serve worker`, each
 * configured only through its environment, as in a deployment.
 */
export interface ClusterProcesses {
  readonly url: string;
  readonly redis: RedisServer;
  readonly dynalite: DynaliteServer;
  readonly s3: S3rverServer;
  readonly workers: ServiceProcess[];
  coordinator: ServiceProcess;
  /** Workflow files the coordinator serves by name. */
  readonly workflowsDir: string;
  api(path: string, init?: RequestInit): Promise<Response>;
  startCoordinator(): Promise<ServiceProcess>;
  startWorker(): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

export async function startClusterProcesses(workflows: Readonly<Record<string, string>>): Promise<ClusterProcesses> {
  const dir = await mkdtemp(join(tmpdir(), 'flowline-procs-'));
  const workflowsDir = join(dir, 'workflows');
  await mkdir(workflowsDir);
  for (const [name, text] of Object.entries(workflows)) await writeFile(join(workflowsDir, `${name}.yaml`), text);
  const [redis, dynalite, s3] = await Promise.all([
    startRedis({ appendOnly: true }),
    startDynalite(),
    startS3rver({ buckets: ['flowline'] }),
  ]);
  const token = newApiToken();
  const env = environment(dir, redis, dynalite, s3);
  const coordinatorEnv = {
    ...env,
    PORT: '0',
    FLOWLINE_API_TOKENS: apiTokenEntry(token),
    FLOWLINE_WORKFLOWS_DIR: workflowsDir,
    FLOWLINE_STATE_INIT: 'true',
  };
  const workerEnv = { ...env, WORKER_CONCURRENCY: '4', WORKER_LOCK_DURATION: '2s', WORKER_SHUTDOWN_GRACE: '1s' };
  const coordinator = await serve('coordinator', coordinatorEnv);
  const url = /listening on (http:\/\/\S+)$/.exec(coordinator.firstLine)?.[1];
  if (url === undefined) throw new Error(`no URL in "${coordinator.firstLine}"`);
  const port = new URL(url).port;
  const workers = await Promise.all([serve('worker', workerEnv), serve('worker', workerEnv)]);
  const cluster: ClusterProcesses = {
    url,
    redis,
    dynalite,
    s3,
    workers,
    coordinator,
    workflowsDir,
    api: (path, init = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      }),
    // A restarted coordinator takes the same port, so clients keep their URL.
    startCoordinator: async () => (cluster.coordinator = await serve('coordinator', { ...coordinatorEnv, PORT: port })),
    startWorker: async () => {
      const worker = await serve('worker', workerEnv);
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all([cluster.coordinator, ...workers].map((p) => p.kill()));
      await Promise.all([redis.stop(), dynalite.stop(), s3.stop()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

function environment(
  dir: string,
  redis: RedisServer,
  dynalite: DynaliteServer,
  s3: S3rverServer,
): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    FLOWLINE_STATE: 'dynamodb',
    DYNAMODB_TABLE: 'flowline',
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    FLOWLINE_CACHE: 's3',
    S3_BUCKET: 'flowline',
    S3_ENDPOINT: s3.endpoint,
    AWS_REGION: dynalite.region,
    // s3rver checks signatures against its own key; dynalite accepts any.
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    FLOWLINE_TMPDIR: dir,
  };
}

/** `flowline serve <service>` on the source; resolves with its first line on stdout (its ready line). */
export async function serve(service: 'coordinator' | 'worker', env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...FLOWLINE_SOURCE_ARGS, 'serve', service], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const line = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
  if (line.done === true) throw new Error(`flowline serve ${service} exited: ${output}`);
  return {
    child,
    firstLine: line.value,
    exited,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
