/** A server may ask for any delay; past this one a stuck run is worse than an early retry. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Milliseconds to wait from a Retry-After header (RFC 9110 §10.2.3):
 * delay-seconds (`120`) or an HTTP date. Undefined when absent or
 * malformed; a date in the past is 0; capped at MAX_RETRY_AFTER_MS.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // Every HTTP date form opens with a day name; Date.parse alone would also take `2024`.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(at - nowMs, 0), MAX_RETRY_AFTER_MS);
}
