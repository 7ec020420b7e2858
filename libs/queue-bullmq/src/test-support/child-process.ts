import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** store-fs's hooks run this repository's TypeScript in a plain node process. */
const REGISTER = new URL('../../../store-fs/src/test-support/register-swc.mjs', import.meta.url).href;
const SCRIPT = fileURLToPath(new URL('./queue-child.ts', import.meta.url));

export interface QueueChild {
  readonly child: ChildProcessWithoutNullStreams;
  /** The next line it prints; rejects if it exits first. */
  next(): Promise<string>;
  /** SIGKILL, and wait until it is gone. */
  kill(): Promise<void>;
}

/** Starts queue-child.ts in its own node process and waits for its "ready". */
export async function startQueueChild(role: 'consumer' | 'reports', config: string): Promise<QueueChild> {
  const child = spawn(process.execPath, ['--conditions=@flowline/source', '--import', REGISTER, SCRIPT, role, config]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`queue child exited: ${stderr}`);
    return line.value;
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  const first = await next();
  if (first !== 'ready') throw new Error(`queue child said ${first}: ${stderr}`);
  return { child, next, kill };
}
