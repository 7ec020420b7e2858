import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { processMemory } from './process-stats.js';

/** The worker service as a container runs it (`npm run build` makes it). */
const WORKER_MAIN = fileURLToPath(new URL('../../../services/worker/dist/main.js', import.meta.url));
const READY = /flowline worker .*: ready/;
const START_TIMEOUT_MS = 60_000;

/** Worker services, each its own `node services/worker/dist/main.js` process, configured by environment. */
export class WorkerProcesses {
  private constructor(private readonly children: readonly ChildProcess[]) {}

  /** Each worker gets a scratch directory of its own under `tempDir`, as each pod has its own disk. */
  static async start(
    count: number,
    env: Readonly<Record<string, string>>,
    tempDir: string,
    nodeArgs: readonly string[] = [],
  ): Promise<WorkerProcesses> {
    if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} is missing: run \`npm run build\` first`);
    const dirs = Array.from({ length: count }, (_, i) => join(tempDir, `worker-${i}`));
    await Promise.all(dirs.map((dir) => mkdir(dir, { recursive: true })));
    const children = dirs.map((dir) =>
      spawn(process.execPath, [...nodeArgs, WORKER_MAIN], { env: { ...env, FLOWLINE_TMPDIR: dir }, stdio: 'pipe' }),
    );
    const workers = new WorkerProcesses(children);
    try {
      await Promise.all(children.map((child) => ready(child)));
    } catch (error) {
      await workers.stop();
      throw error;
    }
    return workers;
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid ?? 0);
  }

  /** Resident memory of each worker now and at its peak (VmRSS, VmHWM), in bytes. */
  memory(): Promise<{ readonly rss: number; readonly peak: number }[]> {
    return Promise.all(this.children.map((child) => processMemory(child.pid ?? 0)));
  }

  /** SIGTERM (a graceful stop), then waits for every process to exit. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        return exited;
      }),
    );
  }
}

/** Resolves on the service's "ready" line; rejects with its stderr if it exits first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    let stdout: string | undefined = '';
    const timer = setTimeout(
      () => reject(new Error(`worker not ready in ${START_TIMEOUT_MS} ms: ${stderr}`)),
      START_TIMEOUT_MS,
    );
    // Both pipes are drained for the process's whole life (a full pipe would block it); only a tail is kept.
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout === undefined) return;
      stdout += chunk.toString();
      if (!READY.test(stdout)) return;
      stdout = undefined;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code ?? signal}) before it was ready: ${stderr}`));
    });
  });
}
