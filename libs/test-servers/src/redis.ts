import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Readable } from 'node:stream';

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
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Where the AOF lives (`appendonlydir/`), and `nodes.conf` in cluster mode. */
  readonly directory: string;
  /** The server process, while one runs. */
  readonly pid: number | undefined;
  /** SIGKILL, as a crash: whatever reached the AOF stays for `restart()`. */
  kill(): Promise<void>;
  /** SIGSTOP: connections are accepted by the kernel but never answered (a hung server). */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Starts it again on the same port and directory (stopping it first if it runs), and waits for it to answer. */
  restart(): Promise<void>;
  /** Ends the server (SIGTERM) and deletes a directory it created; call it once, last. */
  stop(): Promise<void>;
  /** Sends one inline command (`INFO commandstats`, `DBSIZE`) on a fresh connection; an error reply rejects. */
  command(line: string): Promise<RedisReply>;
}

type ServerProcess = ChildProcessByStdio<null, Readable, Readable>;

const READY = /Ready to accept connections/;
/** Attempts at a free port: another process may take the one we picked before redis binds it. */
const PORT_ATTEMPTS = 5;

/** Starts `redis-server` and resolves once it answers PING. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const owned = options.dir === undefined;
  const directory = options.dir ?? (await mkdtemp(join(tmpdir(), 'flowline-redis-')));
  try {
    const config = { directory, appendOnly: options.appendOnly ?? false, cluster: options.cluster ?? false };
    const { child, port } = await launchOnFreePort(config, options.port);
    return new RedisHandle(config, port, child, owned);
  } catch (error) {
    if (owned) await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

interface ServerConfig {
  readonly directory: string;
  readonly appendOnly: boolean;
  readonly cluster: boolean;
}

class RedisHandle implements RedisServer {
  readonly url: string;

  constructor(
    private readonly config: ServerConfig,
    readonly port: number,
    private child: ServerProcess | undefined,
    private readonly ownsDirectory: boolean,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  get directory(): string {
    return this.config.directory;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  command(line: string): Promise<RedisReply> {
    return send(this.port, line);
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.end('SIGTERM');
    this.child = await launch(this.config, this.port);
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
    if (this.ownsDirectory) await rm(this.config.directory, { recursive: true, force: true });
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    // A paused process ignores SIGTERM until it runs again.
    child.kill('SIGCONT');
    child.kill(signal);
    await exited;
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
      if (!(error instanceof PortTakenError) || attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

class PortTakenError extends Error {}

/** Spawns the server, waits for its "Ready" line and one PONG. */
async function launch(config: ServerConfig, port: number): Promise<ServerProcess> {
  const [program, ...prefix] = await serverCommand();
  const child = spawn(program!, [...prefix, ...serverArgs(config, port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new StartupLog(child);
  try {
    await log.waitFor(READY);
    await ping(port);
    if (config.cluster) await assignAllSlots(port, log);
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    log.done();
  }
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

/**
 * `setpriv --pdeathsig KILL` (util-linux) makes the kernel kill the server
 * when the test process dies, so a crashed test leaves no server behind. It
 * execs redis-server, so the pid is the server's own.
 */
async function serverCommand(): Promise<string[]> {
  return (await onPath('setpriv')) ? ['setpriv', '--pdeathsig', 'KILL', 'redis-server'] : ['redis-server'];
}

async function onPath(program: string): Promise<boolean> {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const found = await access(join(dir, program), constants.X_OK).then(
      () => true,
      () => false,
    );
    if (found) return true;
  }
  return false;
}

/**
 * The server's log until it is up. Both pipes stay drained for the
 * server's whole life (a full pipe would block its logging), but text is
 * kept only while someone waits for a line.
 */
class StartupLog {
  private text = '';
  private finished = false;
  private exit: Error | undefined;
  private waiter: { readonly pattern: RegExp; resolve(): void; reject(error: Error): void } | undefined;

  constructor(child: ServerProcess) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.add(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.add(chunk));
    child.once('error', (error) => this.fail(error));
    child.once('exit', (code, signal) => {
      const message = `redis-server exited (${signal ?? `code ${code}`}) while starting: ${this.text.trim()}`;
      this.fail(/Address already in use/.test(this.text) ? new PortTakenError(message) : new Error(message));
    });
  }

  /** Resolves once the log (since start) matches. */
  waitFor(pattern: RegExp): Promise<void> {
    if (pattern.test(this.text)) return Promise.resolve();
    if (this.exit !== undefined) return Promise.reject(this.exit);
    return new Promise((resolve, reject) => (this.waiter = { pattern, resolve, reject }));
  }

  /** Started: stop keeping text. */
  done(): void {
    this.finished = true;
    this.text = '';
    this.waiter = undefined;
  }

  private add(chunk: string): void {
    if (this.finished) return;
    this.text += chunk;
    if (this.waiter?.pattern.test(this.text) !== true) return;
    this.waiter.resolve();
    this.waiter = undefined;
  }

  private fail(error: Error): void {
    this.exit ??= error;
    this.waiter?.reject(error);
    this.waiter = undefined;
  }
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

/** A port the kernel just handed out and released: free unless someone takes it first. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}
