import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { ConfigError } from './config-error.js';
import { parseServiceConfig } from './parse-service-config.js';
import type { Environment, ServiceName } from './service-config.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const BASE = { REDIS_URL: 'redis://127.0.0.1:6379' };
const COORDINATOR = { ...BASE, FLOWLINE_API_TOKENS: DIGEST };
const DYNAMO = {
  FLOWLINE_STATE: 'dynamodb',
  DYNAMODB_TABLE: 'flowline',
  S3_BUCKET: 'flowline-blobs',
  AWS_REGION: 'eu-west-1',
};

/** The problems parseServiceConfig reports, one line each; [] when it accepts the environment. */
function problems(env: Environment, service: ServiceName = 'worker'): readonly string[] {
  try {
    parseServiceConfig(env, service);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.code).toBe('bad_config');
    expect(error.message).toBe(error.problems.join('\n'));
    return error.problems;
  }
}

describe('parseServiceConfig: defaults', () => {
  it('a worker needs only REDIS_URL: file state under ./.flowline, fs cache, every queue, 4 at a time, bwrap', () => {
    const config = parseServiceConfig(BASE, 'worker');
    expect(config).toMatchObject({
      service: 'worker',
      redis: { url: 'redis://127.0.0.1:6379', prefix: '{flowline}', cluster: false },
      state: { kind: 'file', dir: resolve('.flowline') },
      cache: 'fs',
      s3: undefined,
      aws: { region: undefined, credentials: undefined },
      queues: ['shell', 'claude_code', 'assert', 'template', 'webhook'],
      concurrency: 4,
      sandbox: 'bwrap',
      egressAllow: undefined,
      shutdownGraceMs: 30_000,
      tempDir: resolve(tmpdir()),
      telemetry: { serviceName: 'flowline-worker', env: {} },
    });
    expect(config.secretsSource).toBe(BASE);
  });

  it('a coordinator listens on 8080 and reads named workflows from ./workflows', () => {
    const config = parseServiceConfig(COORDINATOR, 'coordinator');
    expect(config).toMatchObject({
      service: 'coordinator',
      port: 8080,
      tokenDigests: [DIGEST],
      workflowsDir: resolve('workflows'),
      telemetry: { serviceName: 'flowline-coordinator' },
    });
  });

  it('DynamoDB state puts blobs and the cache on S3 by default', () => {
    const config = parseServiceConfig({ ...BASE, ...DYNAMO, FLOWLINE_STATE_INIT: 'true' }, 'worker');
    expect(config).toMatchObject({
      state: { kind: 'dynamodb', table: 'flowline', endpoint: undefined, init: true },
      cache: 's3',
      s3: { bucket: 'flowline-blobs', endpoint: undefined, prefix: undefined },
      aws: { region: 'eu-west-1', credentials: undefined },
    });
  });
});

describe('parseServiceConfig: good values', () => {
  it.each<[string, Environment, ServiceName, Record<string, unknown>]>([
    [
      'rediss and a prefix',
      { REDIS_URL: 'rediss://u:p@r:6380/2', FLOWLINE_REDIS_PREFIX: '{staging}' },
      'worker',
      { redis: { url: 'rediss://u:p@r:6380/2', prefix: '{staging}', cluster: false } },
    ],
    [
      'a Redis Cluster',
      { ...BASE, FLOWLINE_REDIS_CLUSTER: 'yes' },
      'worker',
      { redis: expect.objectContaining({ cluster: true }) },
    ],
    [
      'queues, with blanks and repeats',
      { ...BASE, WORKER_QUEUES: ' claude_code , ,claude_code' },
      'worker',
      { queues: ['claude_code'] },
    ],
    ['concurrency 256', { ...BASE, WORKER_CONCURRENCY: '256' }, 'worker', { concurrency: 256 }],
    ['no sandbox', { ...BASE, FLOWLINE_SANDBOX: 'none' }, 'worker', { sandbox: 'none' }],
    ['a shutdown grace', { ...BASE, WORKER_SHUTDOWN_GRACE: '1m30s' }, 'worker', { shutdownGraceMs: 90_000 }],
    ['a lock duration', { ...BASE, WORKER_LOCK_DURATION: '2s' }, 'worker', { lockDurationMs: 2_000 }],
    [
      'egress',
      { ...BASE, FLOWLINE_EGRESS_ALLOW: '10.0.0.0/8, localhost' },
      'worker',
      { egressAllow: '10.0.0.0/8, localhost' },
    ],
    [
      'a state dir',
      { ...BASE, FLOWLINE_STATE_DIR: '/srv/flowline' },
      'worker',
      { state: { kind: 'file', dir: '/srv/flowline' } },
    ],
    ['caching off', { ...BASE, FLOWLINE_CACHE: 'none' }, 'worker', { cache: 'none', s3: undefined }],
    [
      'files and an S3 cache',
      {
        ...BASE,
        FLOWLINE_CACHE: 's3',
        S3_BUCKET: 'b-1',
        S3_ENDPOINT: 'http://127.0.0.1:4569',
        S3_PREFIX: 'dev/',
        AWS_DEFAULT_REGION: 'us-east-1',
      },
      'worker',
      {
        cache: 's3',
        s3: { bucket: 'b-1', endpoint: 'http://127.0.0.1:4569', prefix: 'dev/' },
        aws: expect.objectContaining({ region: 'us-east-1' }),
      },
    ],
    [
      'DynamoDB without a cache',
      { ...BASE, ...DYNAMO, FLOWLINE_CACHE: 'none', DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567' },
      'worker',
      {
        cache: 'none',
        s3: expect.objectContaining({ bucket: 'flowline-blobs' }),
        state: expect.objectContaining({ endpoint: 'http://127.0.0.1:4567' }),
      },
    ],
    [
      'a key pair with a session',
      { ...BASE, AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's3cr3t', AWS_SESSION_TOKEN: 'tok' },
      'worker',
      {
        aws: {
          region: undefined,
          credentials: { accessKeyId: 'AKIA', secretAccessKey: 's3cr3t', sessionToken: 'tok' },
        },
      },
    ],
    [
      'port 0 and several tokens, upper case',
      {
        ...COORDINATOR,
        PORT: '0',
        FLOWLINE_API_TOKENS: `${DIGEST.toUpperCase().replace('SHA256', 'sha256')}, sha256:${'0'.repeat(64)}`,
      },
      'coordinator',
      { port: 0, tokenDigests: [DIGEST, `sha256:${'0'.repeat(64)}`] },
    ],
    [
      'OTEL variables',
      { ...BASE, OTEL_SERVICE_NAME: 'w', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      'worker',
      {
        telemetry: { serviceName: 'w', env: { OTEL_SERVICE_NAME: 'w', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' } },
      },
    ],
    [
      'blank values are unset',
      { ...BASE, WORKER_CONCURRENCY: '  ', FLOWLINE_STATE: '' },
      'worker',
      { concurrency: 4, state: expect.objectContaining({ kind: 'file' }) },
    ],
  ])('%s', (_name, env, service, expected) => {
    expect(parseServiceConfig(env, service)).toMatchObject(expected);
  });
});

describe('parseServiceConfig: bad values, one line each', () => {
  it.each<[Environment, ServiceName, string]>([
    [{}, 'worker', 'REDIS_URL is not set: expected redis://host:6379 or rediss://host:6380 (TLS)'],
    [
      { REDIS_URL: 'http://r:6379' },
      'worker',
      'REDIS_URL=http://r:6379: expected redis://[user:password@]host:port[/db] or rediss://…',
    ],
    [
      { ...BASE, FLOWLINE_REDIS_PREFIX: 'flowline' },
      'worker',
      'FLOWLINE_REDIS_PREFIX=flowline: expected a prefix holding a Redis Cluster hash tag, such as {flowline}',
    ],
    [{ ...BASE, FLOWLINE_REDIS_CLUSTER: 'maybe' }, 'worker', 'FLOWLINE_REDIS_CLUSTER=maybe: expected true or false'],
    [{ ...BASE, WORKER_CONCURRENCY: 'abc' }, 'worker', 'WORKER_CONCURRENCY=abc: expected a whole number from 1 to 256'],
    [{ ...BASE, WORKER_CONCURRENCY: '0' }, 'worker', 'WORKER_CONCURRENCY=0: expected a whole number from 1 to 256'],
    [{ ...BASE, WORKER_CONCURRENCY: '2.5' }, 'worker', 'WORKER_CONCURRENCY=2.5: expected a whole number from 1 to 256'],
    [
      { ...BASE, WORKER_QUEUES: 'shell,conditional' },
      'worker',
      'WORKER_QUEUES=shell,conditional: expected a comma-separated list of shell, claude_code, assert, template, webhook',
    ],
    [
      { ...BASE, WORKER_QUEUES: ',' },
      'worker',
      'WORKER_QUEUES=,: expected a comma-separated list of shell, claude_code, assert, template, webhook',
    ],
    [{ ...BASE, FLOWLINE_SANDBOX: 'docker' }, 'worker', 'FLOWLINE_SANDBOX=docker: expected one of bwrap, none'],
    [
      { ...BASE, WORKER_SHUTDOWN_GRACE: '30' },
      'worker',
      'WORKER_SHUTDOWN_GRACE=30: expected a duration such as 30s, 2m or 1m30s',
    ],
    [
      { ...BASE, FLOWLINE_EGRESS_ALLOW: '10.0.0.0/99' },
      'worker',
      'FLOWLINE_EGRESS_ALLOW: "10.0.0.0/99" has a prefix that is not 0–32',
    ],
    [{ ...BASE, FLOWLINE_STATE: 'postgres' }, 'worker', 'FLOWLINE_STATE=postgres: expected one of file, dynamodb'],
    [{ ...BASE, FLOWLINE_CACHE: 'redis' }, 'worker', 'FLOWLINE_CACHE=redis: expected one of s3, fs, none'],
    [
      { ...BASE, ...DYNAMO, DYNAMODB_TABLE: undefined },
      'worker',
      'DYNAMODB_TABLE is not set: expected the table name, required with FLOWLINE_STATE=dynamodb',
    ],
    [
      { ...BASE, ...DYNAMO, DYNAMODB_TABLE: 'a b' },
      'worker',
      'DYNAMODB_TABLE="a b": expected a table name of 3 to 255 of A-Z a-z 0-9 _ . -',
    ],
    [
      { ...BASE, ...DYNAMO, DYNAMODB_ENDPOINT: 'localhost:4567' },
      'worker',
      'DYNAMODB_ENDPOINT=localhost:4567: expected an http:// or https:// URL, e.g. http://127.0.0.1:4567',
    ],
    [
      { ...BASE, ...DYNAMO, FLOWLINE_STATE_INIT: 'please' },
      'worker',
      'FLOWLINE_STATE_INIT=please: expected true or false',
    ],
    [
      { ...BASE, ...DYNAMO, S3_BUCKET: undefined },
      'worker',
      'S3_BUCKET is not set: expected the bucket name, required with FLOWLINE_STATE=dynamodb',
    ],
    [
      { ...BASE, FLOWLINE_CACHE: 's3', AWS_REGION: 'eu-west-1' },
      'worker',
      'S3_BUCKET is not set: expected the bucket name, required with FLOWLINE_CACHE=s3',
    ],
    [
      { ...BASE, ...DYNAMO, S3_BUCKET: 'Flowline_Blobs' },
      'worker',
      'S3_BUCKET=Flowline_Blobs: expected a bucket name of 3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit',
    ],
    [
      { ...BASE, ...DYNAMO, FLOWLINE_CACHE: 'fs' },
      'worker',
      'FLOWLINE_CACHE=fs: expected s3 or none with FLOWLINE_STATE=dynamodb (workers on other machines share the cache; an fs cache is one per machine)',
    ],
    [
      { ...BASE, ...DYNAMO, AWS_REGION: undefined },
      'worker',
      'AWS_REGION is not set: expected a region such as eu-west-1 (AWS_REGION or AWS_DEFAULT_REGION), required with DynamoDB or S3',
    ],
    [
      { ...BASE, AWS_DEFAULT_REGION: 'EU West' },
      'worker',
      'AWS_DEFAULT_REGION="EU West": expected a region such as eu-west-1',
    ],
    [{ ...COORDINATOR, PORT: '80800' }, 'coordinator', 'PORT=80800: expected a whole number from 0 to 65535'],
    [
      { ...BASE },
      'coordinator',
      'FLOWLINE_API_TOKENS is not set: expected comma-separated sha256:<64 hex digits> entries, as `flowline token new` prints',
    ],
  ])('%j (%s)', (env, service, line) => {
    expect(problems(env, service)).toEqual([line]);
  });

  it('reports every problem at once, one line each', () => {
    const found = problems({ REDIS_URL: 'x', WORKER_CONCURRENCY: '-1', FLOWLINE_SANDBOX: 'off' });
    expect(found).toHaveLength(3);
    for (const line of found) expect(line).not.toContain('\n');
  });

  it('only checks what the service uses: a worker ignores PORT, a coordinator WORKER_CONCURRENCY', () => {
    expect(problems({ ...BASE, PORT: 'x' }, 'worker')).toEqual([]);
    expect(problems({ ...COORDINATOR, WORKER_CONCURRENCY: 'x' }, 'coordinator')).toEqual([]);
  });
});

describe('parseServiceConfig: secrets never appear in messages', () => {
  const TOKEN = 'flt_q6Xyp3Vn0mBz5rTkW9dLcA1sEeHuJ7iOgN2fP4yZ8xQ';

  it('a raw token pasted into FLOWLINE_API_TOKENS is not echoed', () => {
    const [line] = problems({ ...BASE, FLOWLINE_API_TOKENS: `${DIGEST},${TOKEN}` }, 'coordinator');
    expect(line).toBe(
      'FLOWLINE_API_TOKENS entry 2 (value hidden): expected sha256:<64 hex digits>, the digest `flowline token new` prints, not the token',
    );
    expect(line).not.toContain(TOKEN.slice(4));
  });

  it("a Redis URL's password is masked", () => {
    const [line] = problems({ REDIS_URL: 'http://user:hunter2@r:6379' });
    expect(line).toContain('***');
    expect(line).not.toContain('hunter2');
  });

  it('AWS keys that come alone name the missing one, never a value', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    expect(problems({ ...BASE, AWS_SECRET_ACCESS_KEY: secret })).toEqual([
      'AWS_ACCESS_KEY_ID is not set: expected both keys, as AWS_SECRET_ACCESS_KEY is set',
    ]);
    expect(problems({ ...BASE, AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' })).toEqual([
      'AWS_SECRET_ACCESS_KEY is not set: expected both keys, as AWS_ACCESS_KEY_ID is set',
    ]);
    expect(problems({ ...BASE, AWS_SESSION_TOKEN: secret })).toEqual([
      'AWS_ACCESS_KEY_ID is not set: expected a key pair with AWS_SESSION_TOKEN',
    ]);
  });
});
