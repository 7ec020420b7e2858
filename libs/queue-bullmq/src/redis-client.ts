import { FlowlineError } from '@flowline/core';
import { Cluster, Redis } from 'ioredis';

import type { QueueLog } from './queue-log.js';

/** Where the queues live. */
export interface RedisTarget {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS; with `cluster`, any node of the cluster. */
  readonly redisUrl: string;
  /** The URL names a Redis Cluster node: connect with a cluster client. */
  readonly cluster?: boolean;
  /**
   * Prefix of every key. It must hold a Redis Cluster hash tag (`{flowline}`)
   * so each queue's keys share one slot, as BullMQ's scripts need. Default `{flowline}`.
   */
  readonly prefix?: string;
  /** How long `create()` waits for Redis to answer before failing. Default 10 s. */
  readonly connectTimeoutMs?: number;
}

export type RedisClient = Redis | Cluster;

export const DEFAULT_PREFIX = '{flowline}';
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The hash tag Redis Cluster hashes a key by: the text between the first
 * `{` and the first `}` after it, when not empty. The prefix starts every
 * key, so its tag is every key's tag.
 */
export function hashTag(key: string): string | undefined {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : undefined;
}

export function checkedPrefix(prefix: string = DEFAULT_PREFIX): string {
  if (hashTag(prefix) === undefined) {
    throw new FlowlineError(
      'invalid_queue_prefix',
      `queue prefix "${prefix}" has no hash tag such as {flowline}: on Redis Cluster each queue's keys must share a slot`,
    );
  }
  return prefix;
}

/**
 * Connects and waits until Redis answers. Commands never give up on a lost
 * connection (`maxRetriesPerRequest: null`, which BullMQ's workers require):
 * they wait for Redis to come back, so a Redis restart delays work rather
 * than failing it.
 */
export async function connectRedis(target: RedisTarget, log: QueueLog): Promise<RedisClient> {
  checkUrl(target.redisUrl);
  const client = target.cluster === true ? clusterClient(target.redisUrl) : standaloneClient(target.redisUrl);
  client.on('error', (error: unknown) => log({ level: 'warn', message: 'Redis connection', error }));
  try {
    await whenReady(client, target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, target.redisUrl);
    return client;
  } catch (error) {
    client.disconnect();
    throw error;
  }
}

/** Quits politely when connected; otherwise just drops the connection (QUIT would wait for a Redis that is gone). */
export async function closeRedis(client: RedisClient): Promise<void> {
  if (client.status !== 'ready') return client.disconnect();
  await client.quit().catch(() => client.disconnect());
}

/**
 * `disconnect()` only ever abandons a connection (closing uses QUIT), so
 * its socket need not linger for ioredis's default 2 s.
 */
const DISCONNECT_TIMEOUT_MS = 100;

function standaloneClient(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, disconnectTimeout: DISCONNECT_TIMEOUT_MS });
}

function clusterClient(url: string): Cluster {
  const node = new URL(url);
  return new Cluster([{ host: node.hostname, port: Number(node.port || 6379) }], {
    redisOptions: {
      maxRetriesPerRequest: null,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
      ...(node.username === '' ? {} : { username: decodeURIComponent(node.username) }),
      ...(node.password === '' ? {} : { password: decodeURIComponent(node.password) }),
      ...(node.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  });
}

function whenReady(client: RedisClient, timeoutMs: number, url: string): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(
        new FlowlineError('redis_unavailable', `Redis at ${redacted(url)} did not answer within ${timeoutMs} ms`, {
          retryable: true,
        }),
      );
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

function checkUrl(url: string): void {
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new FlowlineError(
      'invalid_redis_url',
      `the Redis URL must look like redis://host:6379, not "${redacted(url)}"`,
    );
  }
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
