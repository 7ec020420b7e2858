import { spawn } from 'node:child_process';

import type { Failure } from '../expect/check-expectations.js';
import type { SetupScript } from '../spec/test-spec.js';

/** How much of a failed script's output a failure shows: its end, where the error is. */
const OUTPUT_TAIL = 2_000;

/**
 * Runs a case's setup scripts in its workspace copy, in order, with
 * `bash -e -o pipefail` (as a shell step's default). The first that fails
 * stops the case: its failure points at the script, with the end of its output.
 */
export async function runSetup(
  scripts: readonly SetupScript[],
  workspace: string,
  signal: AbortSignal,
): Promise<Failure | undefined> {
  for (const setup of scripts) {
    const { code, output } = await runScript(setup.script, workspace, signal);
    if (code !== 0) {
      const tail = output.length > OUTPUT_TAIL ? `…${output.slice(-OUTPUT_TAIL)}` : output;
      return { at: setup.at, what: `setup failed (exit ${code ?? 'signal'}): ${tail.trim() || 'no output'}` };
    }
  }
  return undefined;
}

function runScript(script: string, cwd: string, signal: AbortSignal): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd,
      signal,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => (output += chunk.toString());
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => (signal.aborted ? resolve({ code: null, output }) : reject(error)));
    child.on('close', (code) => resolve({ code, output }));
  });
}
