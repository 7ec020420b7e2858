/** Timing helpers: warm up, repeat, report the median, never a single sample. */

export interface Sample {
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly runs: number;
}

/** Times `fn` `runs` times after `warmup` calls. */
export function timeRuns(fn: () => unknown, runs: number, warmup = 2): Sample {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return summarize(times);
}

export function summarize(times: readonly number[]): Sample {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: at(0.5), p95Ms: at(0.95), runs: sorted.length };
}

/**
 * Operations per second of `op`, called in batches for about `roundMs`, over
 * several rounds; the median round wins. The result of each call is kept
 * live so the optimizer cannot drop the work.
 */
export function throughput(op: () => unknown, roundMs = 400, rounds = 7): number {
  let batch = 1000;
  let sink = 0;
  const rates: number[] = [];
  for (let round = -1; round < rounds; round++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < roundMs) {
      for (let i = 0; i < batch; i++) sink += (op() as string).length;
      calls += batch;
      elapsed = performance.now() - start;
    }
    if (round >= 0) rates.push((calls / elapsed) * 1000); // round -1 is warm-up
    batch = Math.max(1000, Math.round(calls / 4));
  }
  if (sink === -1) console.log('unreachable');
  return summarize(rates).medianMs;
}
