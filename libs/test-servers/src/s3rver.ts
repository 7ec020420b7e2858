import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Readable, type Writable } from 'node:stream';

export interface S3rverOptions {
  /** Buckets that exist from the start (s3rver's `--configure-bucket`); names of 3 to 63 lowercase characters. */
  readonly buckets?: readonly string[];
}

/**
 * A real S3 API server (s3rver) in its own process on 127.0.0.1, with its
 * data in a temporary directory. Its own process so a test can kill it,
 * freeze it, or restart it with its data, the way S3 fails in production.
 */
export interface S3rverServer {
  /** `http://127.0.0.1:<port>`: the SDK's `endpoint` (use path-style URLs). */
  readonly endpoint: string;
  /** The same as `endpoint`. */
  readonly url: string;
  readonly port: number;
  /** Where s3rver keeps buckets and objects (`<dir>/<bucket>/<key>._S3rver_object`). */
  readonly directory: string;
  /** s3rver's one account; any other key pair is refused. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly region: string;
  /** The server process, while one runs. */
  readonly pid: number | undefined;
  /** SIGKILL: the server vanishes mid-request, its data stays for `restart()`. */
  kill(): Promise<void>;
  /** SIGSTOP: connections are accepted by the kernel but never answered (a hung server). */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Starts it again on the same port with the same data (stopping it first if it runs). */
  restart(): Promise<void>;
  /** Ends the server and deletes its data; call it once, last. */
  stop(): Promise<void>;
}

type ServerProcess = ChildProcessByStdio<Writable, Readable, Readable>;

const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
const LISTENING = /S3rver listening on [^\s:]+:(\d+)/;

/**
 * The child runs s3rver's own command line. It exits when its stdin closes,
 * that is when the test process dies, so a crashed test leaves no server.
 */
const WATCHDOG =
  "process.stdin.on('data', () => {}).on('end', () => process.exit(0)).on('error', () => process.exit(0));" +
  'require(process.argv[1]);';

/** Starts s3rver on a free port and resolves once it answers HTTP. */
export async function startS3rver(options: S3rverOptions = {}): Promise<S3rverServer> {
  const directory = await mkdtemp(join(tmpdir(), 'flowline-s3rver-'));
  try {
    const first = await launch(directory, 0, options.buckets ?? []);
    return new S3rverHandle(directory, first.port, first.child, options.buckets ?? []);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

class S3rverHandle implements S3rverServer {
  readonly endpoint: string;
  readonly credentials = CREDENTIALS;
  readonly region = 'us-east-1';

  constructor(
    readonly directory: string,
    readonly port: number,
    private child: ServerProcess | undefined,
    private readonly buckets: readonly string[],
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
  }

  get url(): string {
    return this.endpoint;
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
    this.child = (await launch(this.directory, this.port, this.buckets)).child;
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
    await rm(this.directory, { recursive: true, force: true });
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

/** Spawns s3rver and waits for its "listening" line, then for one HTTP answer. */
async function launch(
  directory: string,
  port: number,
  buckets: readonly string[],
): Promise<{ child: ServerProcess; port: number }> {
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const args = ['-e', WATCHDOG, bin, '-d', directory, '-a', '127.0.0.1', '-p', String(port), '--silent'];
  for (const bucket of buckets) args.push('--configure-bucket', bucket);
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const listening = await listeningPort(child);
    await answers(`http://127.0.0.1:${listening}`);
    return { child, port: listening };
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
      reject(new Error(`s3rver exited (${signal ?? `code ${code}`}) before listening: ${err.trim() || out.trim()}`));
    });
  });
}

/** Any HTTP answer will do: the server is up. */
async function answers(endpoint: string): Promise<void> {
  const response = await fetch(endpoint);
  await response.body?.cancel();
}
