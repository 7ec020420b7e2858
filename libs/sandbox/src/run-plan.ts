import { spawn } from 'node:child_process';

import type { LaunchPlan } from './sandbox.js';

export interface PlanResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Spawns a plan the way executors do (its env alone, no stdin) and collects
 * its output; killed after `timeoutMs`. For the start-up probes only:
 * executors have their own runner with streaming and cancellation.
 */
export function runPlan(plan: LaunchPlan, timeoutMs: number): Promise<PlanResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(plan.file, [...plan.args], {
      env: plan.env,
      cwd: plan.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, ...output }));
  });
}
