/** setTimeout fires at once past this (about 24.8 days): clamp rather than time out immediately. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The attempt's signal, also aborted with reason `timeout` after
 * `timeoutMs`. The driver aborts the context's signal at the step timeout;
 * this is the backstop in case a driver forgets. `dispose` when done.
 */
export function attemptSignal(parent: AbortSignal, timeoutMs: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort('timeout'), Math.min(timeoutMs, MAX_TIMER_MS));
  const dispose = () => {
    clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
  };
  return { signal: controller.signal, dispose };
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts (for work that takes no signal). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
