import { spawnSync } from 'node:child_process';

/** The pid of a process that has exited: what a lock left by `kill -9` records. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
}
