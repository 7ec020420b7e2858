import { FlowlineError } from '@flowline/core';

/**
 * Resolves as `promise` does, or rejects with a retryable `timeout` after
 * `ms`. The promise itself keeps running (a Redis command waiting for a
 * reconnect cannot be taken back); only the caller stops waiting.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FlowlineError('timeout', `${what} took longer than ${ms} ms`, { retryable: true })),
      ms,
    );
  });
  // A late rejection of the abandoned promise must not become an unhandled one.
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
