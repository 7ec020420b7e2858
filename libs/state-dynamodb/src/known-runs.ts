/** What this store last saw of a run's log: its last seq, and the expiry its items get. */
export interface KnownRun {
  readonly lastSeq: number;
  readonly expiresAt: number | undefined;
}

/** Runs remembered at most; the least recently used is forgotten first (and read again when needed). */
const DEFAULT_CAPACITY = 10_000;

/**
 * Lets an append skip its two reads when this store made the last write of
 * the run's log itself, as a coordinator does step after step. Safe because
 * event items are never changed or deleted while a run lives: if the seq we
 * remember is still the last, the write lands right after it; if anyone
 * appended since, our conditional put finds their item and fails. The
 * remembered expiry can only be stale in one harmless direction (docs:
 * "Expiry").
 */
export class KnownRuns {
  private readonly runs = new Map<string, KnownRun>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(runId: string): KnownRun | undefined {
    return this.runs.get(runId);
  }

  set(runId: string, known: KnownRun): void {
    this.runs.delete(runId);
    this.runs.set(runId, known);
    if (this.runs.size > this.capacity) this.runs.delete(this.runs.keys().next().value!);
  }

  /** A record update changed the expiry; the log position stays what it was. */
  setExpiry(runId: string, expiresAt: number | undefined): void {
    const known = this.runs.get(runId);
    if (known !== undefined) this.set(runId, { ...known, expiresAt });
  }

  forget(runId: string): void {
    this.runs.delete(runId);
  }
}
