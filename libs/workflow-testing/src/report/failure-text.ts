import type { Failure } from '../expect/check-expectations.js';

/** `file:line:col: what`, the compiler shape terminals and editors link. */
export function failurePlace(file: string, failure: Failure): string {
  return `${file}:${failure.at.line}:${failure.at.column}: ${failure.what}`;
}

/** The place line, then `expected:` and `actual:` lines when the failure compares values. */
export function failureLines(file: string, failure: Failure): string[] {
  const lines = [failurePlace(file, failure)];
  if (failure.expected !== undefined) lines.push(`  expected: ${failure.expected}`);
  if (failure.actual !== undefined) lines.push(`  actual:   ${failure.actual}`);
  return lines;
}

/** One line for a summary: `step fix status: expected succeeded, got failed`. */
export function failureSummary(failure: Failure): string {
  if (failure.expected === undefined) return failure.what;
  return `${failure.what}: expected ${failure.expected}, got ${failure.actual ?? 'missing'}`;
}

/** `850ms`, `1.2s`, `2m 05s`: short enough for a line per case. */
export function shortDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}
