import type { AbortReason } from './executor.js';

/**
 * Watches a step process spawned as the leader of its own process group
 * (`detached: true`). On abort the whole group gets SIGTERM, then SIGKILL
 * after the grace period; when the leader exits, whatever it left running
 * in the background is killed, so a step never outlives its attempt. (Under
 * bubblewrap, killing bwrap ends its PID namespace as well.)
 */
export function superviseGroup(
  child: { readonly pid?: number | undefined; once(event: 'exit', listener: () => void): unknown },
  signal: AbortSignal,
  killGraceMs: number,
): { readonly reason: () => AbortReason | undefined; stop(): void } {
  let reason: AbortReason | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    reason = signal.reason === 'timeout' ? 'timeout' : 'cancelled';
    killGroup(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), killGraceMs);
  };
  // Stragglers hold the output pipes open: end them when the leader exits, not when the pipes close.
  child.once('exit', () => killGroup(child.pid, 'SIGKILL'));
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    reason: () => reason,
    stop: () => {
      signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
    },
  };
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}
