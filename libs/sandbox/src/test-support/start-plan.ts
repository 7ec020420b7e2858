import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { type Readable } from 'node:stream';

import type { LaunchPlan } from '../sandbox.js';

export interface Finished {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Started {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly finished: Promise<Finished>;
}

/**
 * Spawns a plan as executors do (execa's `extendEnv: false` is node's
 * `env:`): its env alone, its cwd, no stdin. `wrap` puts a program in front
 * (setpriv); `env` replaces the plan's env, to show a careless spawner
 * cannot leak variables into the step either.
 */
export function startPlan(plan: LaunchPlan, options: { wrap?: string[]; env?: NodeJS.ProcessEnv } = {}): Started {
  const [file, ...args] = [...(options.wrap ?? []), plan.file, ...plan.args];
  const child = spawn(file ?? plan.file, args, {
    env: options.env ?? plan.env,
    cwd: plan.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  const finished = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, ...output }));
  });
  return { child, finished };
}

export function runToEnd(
  plan: LaunchPlan,
  options: { wrap?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<Finished> {
  return startPlan(plan, options).finished;
}

/** Resolves once the process has written `text` to stdout. */
export function stdoutShows(started: Started, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('utf8');
      if (!seen.includes(text)) return;
      started.child.stdout.off('data', onData);
      resolve();
    };
    started.child.stdout.on('data', onData);
    started.finished.then(() => reject(new Error(`exited before printing ${text}; stdout: ${seen}`)), reject);
  });
}
