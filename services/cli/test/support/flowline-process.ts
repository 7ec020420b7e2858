import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REGISTER = new URL('../../../../libs/store-fs/src/test-support/register-swc.mjs', import.meta.url).href;
const FLOWLINE = fileURLToPath(new URL('./flowline-source.ts', import.meta.url));

/** Node arguments that run `flowline` on this repository's TypeScript source (no build needed). */
export const FLOWLINE_SOURCE_ARGS: readonly string[] = [
  '--conditions=@flowline/source',
  '--import',
  REGISTER,
  FLOWLINE,
];

export interface FlowlineResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `flowline ARGS…` as a process on the source, to completion. Asynchronous,
 * unlike spawnSync, so a scripted model server in the test process keeps
 * answering while the command runs.
 */
export function runFlowline(
  args: readonly string[],
  options: { readonly cwd?: string; readonly env?: Record<string, string> } = {},
): Promise<FlowlineResult> {
  const child = spawn(process.execPath, [...FLOWLINE_SOURCE_ARGS, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
