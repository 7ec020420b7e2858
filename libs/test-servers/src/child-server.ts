import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Readable, type Writable } from 'node:stream';

/**
 * What the three server starters share: a server in its own child process
 * that dies with the test process, is ready only once it answers, and can be
 * crashed, frozen, restarted and stopped. Each starter keeps what is its own
 * server's: the command line, what "ready" means, the extra handle fields.
 */

/** stdout and stderr are piped (they carry the startup log); stdin only for node children. */
export type ServerProcess = ChildProcessByStdio<Writable | null, Readable, Readable>;

/** What a test can do to a server's process: crash it, freeze it, restart it, end it. */
export interface ServerControls {
  /** The server process, while one runs. */
  readonly pid: number | undefined;
  /** SIGKILL, as a crash: the server vanishes mid-request; what it wrote to disk stays for `restart()`. */
  kill(): Promise<void>;
  /** SIGSTOP: connections are accepted by the kernel but never answered (a hung server). */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** Starts it again on the same port and directory (stopping it first if it runs), and waits for it to answer. */
  restart(): Promise<void>;
  /** Ends the server (SIGTERM) and deletes the directory its starter created; call it once, last. */
  stop(): Promise<void>;
}

/**
 * The handle's process life. `restart()` and `stop()` send SIGTERM, `kill()`
 * SIGKILL (a crash), `pause()` SIGSTOP (a hung server: the kernel still
 * accepts connections). `stop()` also deletes the directory the starter made.
 */
export abstract class ChildServer implements ServerControls {
  protected constructor(
    private running: ServerProcess | undefined,
    private readonly ownedDirectory: string | undefined,
  ) {}

  get pid(): number | undefined {
    return this.running?.pid;
  }

  async kill(): Promise<void> {
    await this.end('SIGKILL');
  }

  pause(): void {
    this.running?.kill('SIGSTOP');
  }

  resume(): void {
    this.running?.kill('SIGCONT');
  }

  async restart(): Promise<void> {
    await this.end('SIGTERM');
    this.running = await this.relaunch();
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
    if (this.ownedDirectory !== undefined) await removeDirectory(this.ownedDirectory);
  }

  /** Starts the server again on the same port and data, resolving once it is ready. */
  protected abstract relaunch(): Promise<ServerProcess>;

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.running;
    this.running = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    // A paused process ignores SIGTERM until it runs again.
    child.kill('SIGCONT');
    child.kill(signal);
    await exited;
  }
}

/** A new temporary directory `flowline-<server>-…`. */
export function temporaryDirectory(server: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `flowline-${server}-`));
}

async function removeDirectory(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

/** Runs `start`; if it fails, deletes the directory made for it (when there is one), so nothing is left behind. */
export async function deletingOnFailure<T>(ownedDirectory: string | undefined, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (ownedDirectory !== undefined) await removeDirectory(ownedDirectory);
    throw error;
  }
}

/**
 * A node child exits when its stdin closes, that is when the test process
 * dies however it dies, so a crashed test leaves no server behind.
 */
const STDIN_WATCHDOG =
  "process.stdin.on('data', () => {}).on('end', () => process.exit(0)).on('error', () => process.exit(0));";

/** Runs `script` (CommonJS; `process.argv[1]` on are `args`) in a node process that dies with this one. */
export function spawnNodeServer(script: string, args: readonly string[]): ServerProcess {
  return spawn(process.execPath, ['-e', STDIN_WATCHDOG + script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Spawns a program that dies with this process: `setpriv --pdeathsig KILL`
 * (util-linux) makes the kernel kill it when the test process dies. setpriv
 * execs the program, so the pid is the server's own.
 */
export async function spawnProgramServer(program: string, args: readonly string[]): Promise<ServerProcess> {
  const [file, prefix] = (await onPath('setpriv')) ? ['setpriv', ['--pdeathsig', 'KILL', program]] : [program, []];
  return spawn(file, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Resolves with what `ready` resolves once the child is up; a child that fails to get there is killed. */
export async function whenReady<T>(
  child: ServerProcess,
  name: string,
  ready: (log: StartupLog) => Promise<T>,
): Promise<T> {
  const log = new StartupLog(child, name);
  try {
    return await ready(log);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    log.done();
  }
}

/** A node server is ready once its log names its port (the pattern's first group) and that port answers HTTP. */
export async function launchNodeServer(
  name: string,
  script: string,
  args: readonly string[],
  listening: RegExp,
): Promise<{ child: ServerProcess; port: number }> {
  const child = spawnNodeServer(script, args);
  const port = await whenReady(child, name, async (log) => {
    const listeningOn = Number((await log.waitFor(listening))[1]);
    // Any HTTP answer will do: the server is up.
    const response = await fetch(`http://127.0.0.1:${listeningOn}`);
    await response.body?.cancel();
    return listeningOn;
  });
  return { child, port };
}

/** The server's process ended before it was ready; `log` is all it wrote until then. */
export class ServerExitedError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}

/**
 * The server's log until it is up. Both pipes stay drained for the
 * server's whole life (a full pipe would block its logging), but text is
 * kept only while someone waits for a line.
 */
export class StartupLog {
  private text = '';
  private finished = false;
  private exit: Error | undefined;
  private waiter:
    { readonly pattern: RegExp; resolve(match: RegExpExecArray): void; reject(error: Error): void } | undefined;

  constructor(child: ServerProcess, name: string) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.add(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.add(chunk));
    child.once('error', (error) => this.fail(error));
    child.once('exit', (code, signal) => {
      const message = `${name} exited (${signal ?? `code ${code}`}) while starting: ${this.text.trim()}`;
      this.fail(new ServerExitedError(message, this.text));
    });
  }

  /** Resolves with the match once the log (since start) matches. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    const match = pattern.exec(this.text);
    if (match !== null) return Promise.resolve(match);
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
    const match = this.waiter?.pattern.exec(this.text);
    if (this.waiter === undefined || match === undefined || match === null) return;
    this.waiter.resolve(match);
    this.waiter = undefined;
  }

  private fail(error: Error): void {
    this.exit ??= error;
    this.waiter?.reject(error);
    this.waiter = undefined;
  }
}

/** A port the kernel just handed out and released: free unless someone takes it first. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}
