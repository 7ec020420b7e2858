import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Runs a bash `script` in `lower` (its working directory) under a private
 * overlay mount, the way the sandbox does: writes land in `<base>/upper`,
 * `lower` is untouched. redirect_dir and metacopy are off, as the capture
 * requires (docs/workspace.md). Resolves with the upper directory once the
 * script exits 0; rejects with its stderr otherwise.
 */
export async function runInOverlay(lower: string, base: string, script: string): Promise<string> {
  const upper = join(base, 'upper');
  const work = join(base, 'work');
  await mkdir(upper, { recursive: true });
  await mkdir(work, { recursive: true });
  const mount =
    'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3,redirect_dir=off,metacopy=off" "$1" && cd "$1" && shift 3 && exec "$@"';
  const args = ['-m', '--propagation', 'private', '--', 'sh', '-c', mount, 'sh', lower, upper, work];
  await run('unshare', [...args, 'bash', '-euc', script]);
  return upper;
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code}: ${Buffer.concat(stderr).toString()}`));
    });
  });
}
