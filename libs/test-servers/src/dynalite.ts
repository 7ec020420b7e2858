import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, type Writable } from 'node:stream';

export interface DynaliteOptions {
  /**
   * Keep the tables in LevelDB files in a temporary directory, so they
   * survive `kill()` + `restart()`. Default false: in memory, for speed;
   * a restart then starts empty.
   */
  readonly persistent?: boolean;
  /** The item size limit dynalite enforces (DynamoDB's is 400). */
  readonly maxItemSizeKb?: number;
}

/**
 * A real DynamoDB API server (dynalite) in its own process on 127.0.0.1, so
 * a test can kill it, freeze it, or restart it. Tables turn ACTIVE at once
 * (`createTableMs` 0). What dynalite lacks: TransactWriteItems and
 * TransactGetItems, UpdateTimeToLive (it never expires items), and
 * `ReturnValuesOnConditionCheckFailure`.
 */
export interface DynaliteServer {
  /** `http://127.0.0.1:<port>`: the SDK's `endpoint`. */
  readonly endpoint: string;
  /** The same as `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** Any region and key pair will do; these are the ones tests pass. */
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The LevelDB directory when `persistent`, else undefined. */
  readonly directory: string | undefined;
  /** The server process, while one runs. */
  readonly pid: number | undefined;
  /** SIGKILL, as a crash. */
  kill(): Promise<void>;
  /** SIGSTOP: connections are accepted by the kernel but never answered (a hung server). */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Starts it again on the same port (stopping it first if it runs); its tables survive only when `persistent`. */
  restart(): Promise<void>;
  /** Ends the server and deletes its directory; call it once, last. */
  stop(): Promise<void>;
}

type ServerProcess = ChildProcessByStdio<Writable, Readable, Readable>;

interface LaunchConfig {
  readonly port: number;
  readonly directory: string | undefined;
  readonly maxItemSizeKb: number;
}

/**
 * The child: dynalite on 127.0.0.1 (its command line cannot take port 0),
 * printing the port it got. It exits when its stdin closes, that is when
 * the test process dies, so a crashed test leaves no server behind.
 */
const CHILD_SCRIPT = `
process.stdin.on('data', () => {}).on('end', () => process.exit(0)).on('error', () => process.exit(0));
const config = JSON.parse(process.argv[1]);
const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, maxItemSizeKb: config.maxItemSizeKb };
if (config.directory) options.path = config.directory;
const server = require(config.module)(options);
server.on('error', (error) => { console.error(String(error)); process.exit(1); });
server.listen(config.port, '127.0.0.1', () => console.log('dynalite listening on ' + server.address().port));
`;
const LISTENING = /dynalite listening on (\d+)/;
const CREDENTIALS = { accessKeyId: 'flowline', secretAccessKey: 'flowline' } as const;

/** Starts dynalite on a free port and resolves once it answers HTTP. */
export async function startDynalite(options: DynaliteOptions = {}): Promise<DynaliteServer> {
  const directory = options.persistent === true ? await mkdtemp(join(tmpdir(), 'flowline-dynalite-')) : undefined;
  try {
    const config = { port: 0, directory, maxItemSizeKb: options.maxItemSizeKb ?? 400 };
    const first = await launch(config);
    return new DynaliteHandle({ ...config, port: first.port }, first.child);
  } catch (error) {
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

class DynaliteHandle implements DynaliteServer {
  readonly endpoint: string;
  readonly region = 'us-east-1';
  readonly credentials = CREDENTIALS;

  constructor(
    private readonly config: LaunchConfig,
    private child: ServerProcess | undefined,
  ) {
    this.endpoint = `http://127.0.0.1:${config.port}`;
  }

  get url(): string {
    return this.endpoint;
  }

  get port(): number {
    return this.config.port;
  }

  get directory(): string | undefined {
    return this.config.directory;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.end('SIGTERM');
    this.child = (await launch(this.config)).child;
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
    if (this.config.directory !== undefined) await rm(this.config.directory, { recursive: true, force: true });
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

/** Spawns the child and waits for its "listening" line, then for one HTTP answer. */
async function launch(config: LaunchConfig): Promise<{ child: ServerProcess; port: number }> {
  const module = createRequire(import.meta.url).resolve('dynalite');
  const args = ['-e', CHILD_SCRIPT, JSON.stringify({ ...config, module })];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const port = await listeningPort(child);
    await answers(`http://127.0.0.1:${port}`);
    return { child, port };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

function listeningPort(child: ServerProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = LISTENING.exec(out);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      reject(new Error(`dynalite exited (${signal ?? `code ${code}`}) before listening: ${err.trim() || out.trim()}`));
    });
  });
}

/** Any HTTP answer will do: the server is up. */
async function answers(endpoint: string): Promise<void> {
  const response = await fetch(endpoint);
  await response.body?.cancel();
}
