/**
 * After a failure, stop asking for a while: when S3 hangs, every lookup
 * would otherwise pay the full timeout, so a dead S3 costs one timeout per
 * cool-down, not one per step. The first call after the cool-down tries
 * again (and a new failure starts another).
 */
export class Cooldown {
  private until = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly periodMs: number,
    private readonly clock: () => number,
  ) {}

  /** Whether a request may go out now. */
  allows(): boolean {
    return this.clock() >= this.until;
  }

  failed(): void {
    this.until = this.clock() + this.periodMs;
  }
}
