/**
 * At most `limit` requests in flight; the rest wait here, in call order.
 * The SDK's connection and request timers start when a request is handed to
 * it, so a request that waited for a free socket inside the SDK could time
 * out without ever reaching the server. Waiting here instead keeps the
 * timeouts about the server alone.
 */
export class RequestLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active += 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.waiting.shift();
      if (next === undefined) this.active -= 1;
      else next();
    }
  }
}
