/**
 * At most `limit` S3 requests in flight; the rest wait here, in call order,
 * before the SDK sees them. The SDK starts a request's connection timer when
 * the request is handed to it, also while it waits for one of the HTTP
 * agent's sockets, so a burst (a thousand runs submitted at once, each
 * storing its workflow bundle) failed with connection timeouts requests that
 * never reached S3. Waiting here keeps the timers about the server alone.
 * The agent gets the same number of sockets (`createS3Client`).
 */
export class RequestSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /**
   * Resolves with the slot's release, which may be called any number of
   * times (the first frees the slot). A signal that aborts while the call
   * waits rejects it with the signal's reason, holding no slot.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) this.active += 1;
    else await this.queued(signal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    };
  }

  /** Runs `work` in a slot, released when it settles. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** Waits for a slot handed over by a release; the slot is counted as active throughout. */
  private queued(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(granted), 1);
        // A reason is an Error unless a caller aborted with something else, which it then gets back as it was.
        reject(signal!.reason as Error);
      };
      const granted = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiting.push(granted);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
