import { createConnection } from 'node:net';

import {
  ChildServer,
  deletingOnFailure,
  freePort,
  ServerExitedError,
  type ServerControls,
  type ServerProcess,
  spawnProgramServer,
  type StartupLog,
  temporaryDirectory,
  whenReady,
} from './child-server.js';

export interface RedisOptions {
  /** AOF persistence (`--appendonly yes`), so data survives `kill()` + `restart()`. Default false. */
  readonly appendOnly?: boolean;
  /** The data directory; default a new temporary one, deleted by `stop()`. A given one is left in place. */
  readonly dir?: string;
  /** Default: a free port on 127.0.0.1. */
  readonly port?: number;
  /**
   * Cluster mode (`--cluster-enabled yes`) with every slot on this one node:
   * a command or script touching keys of two hash slots fails with CROSSSLOT,
   * as on a real Redis Cluster. Default false.
   */
  readonly cluster?: boolean;
}

/**
 * A real `redis-server` (Debian's package, on PATH) in its own process on
 * 127.0.0.1, so a test can kill it, freeze it, or restart it with its data.
 * No RDB snapshots (`--save ""`); AOF only when asked.
 */
export interface RedisServer extends ServerControls {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Where the AOF lives (`appendonlydir/`), and `nodes.conf` in cluster mode. */
  readonly directory: string;
  /** Sends one inline command (`INFO commandstats`, `DBSIZE`) on a fresh connection; an error reply rejects. */
  command(line: string): Promise<RedisReply>;
}

const READY = /Ready to accept connections/;
/** Attempts at a free port: another process may take the one we picked before redis binds it. */
const PORT_ATTEMPTS = 5;

/** Starts `redis-server` and resolves once it answers PING. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const directory = options.dir ?? (await temporaryDirectory('redis'));
  const owned = options.dir === undefined ? directory : undefined;
  return deletingOnFailure(owned, async () => {
    const config = { directory, appendOnly: options.appendOnly ?? false, cluster: options.cluster ?? false };
    const { child, port } = await launchOnFreePort(config, options.port);
    return new RedisHandle(config, port, child, owned);
  });
}

interface ServerConfig {
  readonly directory: string;
  readonly appendOnly: boolean;
  readonly cluster: boolean;
}

class RedisHandle extends ChildServer implements RedisServer {
  readonly url: string;

  constructor(
    private readonly config: ServerConfig,
    readonly port: number,
    child: ServerProcess,
    ownedDirectory: string | undefined,
  ) {
    super(child, ownedDirectory);
    this.url = `redis://127.0.0.1:${port}`;
  }

  get directory(): string {
    return this.config.directory;
  }

  command(line: string): Promise<RedisReply> {
    return send(this.port, line);
  }

  protected relaunch(): Promise<ServerProcess> {
    return launch(this.config, this.port);
  }
}

async function launchOnFreePort(
  config: ServerConfig,
  port: number | undefined,
): Promise<{ child: ServerProcess; port: number }> {
  if (port !== undefined) return { child: await launch(config, port), port };
  for (let attempt = 1; ; attempt++) {
    const free = await freePort();
    try {
      return { child: await launch(config, free), port: free };
    } catch (error) {
      if (!portTaken(error) || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

function portTaken(error: unknown): boolean {
  return error instanceof ServerExitedError && /Address already in use/.test(error.log);
}

/** Spawns the server, waits for its "Ready" line and one PONG. */
async function launch(config: ServerConfig, port: number): Promise<ServerProcess> {
  const child = await spawnProgramServer('redis-server', serverArgs(config, port));
  return whenReady(child, 'redis-server', async (log) => {
    await log.waitFor(READY);
    await ping(port);
    if (config.cluster) await assignAllSlots(port, log);
    return child;
  });
}

function serverArgs(config: ServerConfig, port: number): string[] {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'no', '--save', ''];
  args.push('--appendonly', config.appendOnly ? 'yes' : 'no', '--dir', config.directory);
  // Production Redis for BullMQ must never evict keys (docs/queue.md).
  args.push('--maxmemory-policy', 'noeviction');
  if (config.cluster) {
    // A node alone has never learnt its own address from a peer: without announcing one, CLUSTER SLOTS says "".
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-announce-ip', '127.0.0.1');
  }
  return args;
}

/** A reply as `command()` returns it: `-ERR` replies reject instead. */
export type RedisReply = string | number | null | readonly RedisReply[];

/** One inline command over a plain socket (arguments split on spaces); resolves with the parsed reply. */
function send(port: number, line: string): Promise<RedisReply> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = Buffer.alloc(0);
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      const parsed = parseReply(reply, 0);
      if (parsed === undefined) return;
      socket.end();
      if (parsed.value instanceof Error) reject(parsed.value);
      else resolve(parsed.value);
    });
    socket.once('error', reject);
  });
}

type Parsed = { readonly value: RedisReply | Error; readonly next: number } | undefined;

/** RESP2, enough for tests: undefined until the reply is complete. */
function parseReply(buffer: Buffer, offset: number): Parsed {
  const end = buffer.indexOf('\r\n', offset);
  if (end < 0) return undefined;
  const head = buffer.toString('utf8', offset + 1, end);
  const next = end + 2;
  switch (String.fromCharCode(buffer[offset]!)) {
    case '+':
      return { value: head, next };
    case '-':
      return { value: new Error(head), next };
    case ':':
      return { value: Number(head), next };
    case '$':
      return parseBulk(buffer, Number(head), next);
    case '*':
      return parseArray(buffer, Number(head), next);
    default:
      throw new Error(`not a RESP reply: ${buffer.toString('utf8', offset, end)}`);
  }
}

function parseBulk(buffer: Buffer, length: number, start: number): Parsed {
  if (length < 0) return { value: null, next: start };
  if (buffer.length < start + length + 2) return undefined;
  return { value: buffer.toString('utf8', start, start + length), next: start + length + 2 };
}

function parseArray(buffer: Buffer, count: number, start: number): Parsed {
  if (count < 0) return { value: null, next: start };
  const items: RedisReply[] = [];
  let next = start;
  for (let i = 0; i < count; i++) {
    const item = parseReply(buffer, next);
    if (item === undefined) return undefined;
    if (item.value instanceof Error) return item;
    items.push(item.value);
    next = item.next;
  }
  return { value: items, next };
}

async function ping(port: number): Promise<void> {
  const reply = await send(port, 'PING');
  if (reply !== 'PONG') throw new Error(`redis-server on port ${port} answered PING with ${JSON.stringify(reply)}`);
}

/**
 * A one-node cluster owns every slot; until then it refuses keyed commands.
 * Redis turns a master's cluster state "ok" no sooner than 2 s after start
 * (CLUSTER_WRITABLE_DELAY), and logs it: cluster mode costs those 2 s.
 */
async function assignAllSlots(port: number, log: StartupLog): Promise<void> {
  await send(port, 'CLUSTER ADDSLOTSRANGE 0 16383').catch((error: unknown) => {
    // After a restart, nodes.conf already gives this node every slot.
    if (!/already busy/.test(String(error))) throw error;
  });
  await log.waitFor(/Cluster state changed: ok/);
}
