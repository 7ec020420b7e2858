import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** store-fs's hooks run this repository's TypeScript in a plain node process, on source like the tests. */
const REGISTER = new URL('../../../libs/store-fs/src/test-support/register-swc.mjs', import.meta.url).href;
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface WorkerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit status (or the signal that ended it). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** SIGKILL, and wait until it is gone (for clean-up after a failed test). */
  kill(): Promise<void>;
}

/** Spawns `services/worker/src/main.ts` with exactly `env` (and PATH); resolves when it printed its ready line. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const worker = spawnWorker(env);
  const lines = createInterface({ input: worker.child.stdout })[Symbol.asyncIterator]();
  const first = await Promise.race([lines.next(), worker.exited.then(() => undefined)]);
  if (first?.done !== false || !/: ready; /.test(first.value)) {
    await worker.kill();
    throw new Error(`the worker did not start: ${first?.value ?? ''}\n${worker.stderr()}`);
  }
  return worker;
}

/** Spawns the worker without waiting for anything. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--conditions=@flowline/source', '--import', REGISTER, MAIN], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  return { child, stderr: () => stderr, exited, kill };
}

export { eventually, processesWith } from '@flowline/test-servers';
