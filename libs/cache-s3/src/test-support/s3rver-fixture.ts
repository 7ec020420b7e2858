import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll } from '@jest/globals';

import { type S3rverServer, startS3rver } from '../../../test-servers/src/s3rver.js';
import { S3Store, type S3StoreOptions } from '../s3-store.js';

export const BUCKET = 'flowline-test';

/** The options that reach `server`, with `overrides` on top. */
export function optionsFor(server: S3rverServer, overrides: Partial<S3StoreOptions> = {}): S3StoreOptions {
  return {
    bucket: BUCKET,
    region: server.region,
    endpoint: server.endpoint,
    credentials: server.credentials,
    ...overrides,
  };
}

let prefixes = 0;

/**
 * One s3rver for a test file (started in beforeAll, stopped in afterAll),
 * and stores on it that each get a prefix of their own, so every store
 * starts empty without a server per test. Stores and temp dirs are closed
 * with the server.
 */
export function useS3rver() {
  let server: S3rverServer | undefined;
  const stores: S3Store[] = [];
  const tempDir = useTempDirs();
  beforeAll(async () => {
    server = await startS3rver({ buckets: [BUCKET] });
  });
  afterAll(async () => {
    for (const store of stores) store.destroy();
    await server?.stop();
  });
  const running = (): S3rverServer => {
    if (server === undefined) throw new Error('s3rver is not running (use the fixture inside a test)');
    return server;
  };
  return {
    server: running,
    /** A store with a fresh prefix on the file's server. */
    async store(overrides: Partial<S3StoreOptions> = {}): Promise<S3Store> {
      prefixes += 1;
      const store = await S3Store.create(optionsFor(running(), { prefix: `t${prefixes}/`, ...overrides }));
      stores.push(store);
      return store;
    },
    tempDir,
  };
}

/** Makes empty temporary directories, all removed after the file's tests. */
export function useTempDirs(): () => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flowline-cache-s3-'));
    dirs.push(dir);
    return dir;
  };
}

/** Counts the commands a real client sends (one per `send`, retries not counted), by command name. */
export function countCommands(client: S3Client): Map<string, number> {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'flowlineTestCountCommands' },
  );
  return counts;
}

/** Records the HTTP headers of each request a real client sends. */
export function recordHeaders(client: S3Client): { command: string; headers: Record<string, string> }[] {
  const seen: { command: string; headers: Record<string, string> }[] = [];
  client.middlewareStack.add(
    (next, context) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      seen.push({ command: context.commandName ?? 'unknown', headers: { ...request.headers } });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'flowlineTestRecordHeaders' },
  );
  return seen;
}
