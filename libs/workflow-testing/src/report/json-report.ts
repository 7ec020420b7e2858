import type { SuiteResult } from '../run/run-suite.js';

/**
 * `--reporter json`: one document on stdout, snake_case like the rest of
 * Flowline's JSON. Places are 1-based; `expected` and `actual` are the
 * report's own descriptions (text), not the raw values.
 */
export function jsonReport(result: SuiteResult): string {
  const document = {
    passed: result.passed,
    failed: result.failed,
    duration_ms: result.durationMs,
    files: result.files.map((file) => ({
      file: file.file,
      workflow: file.workflow,
      duration_ms: file.durationMs,
      cases: file.cases.map((c) => ({
        name: c.name,
        line: c.at.line,
        column: c.at.column,
        status: c.passed ? 'passed' : 'failed',
        duration_ms: c.durationMs,
        run_status: c.runStatus ?? null,
        failures: c.failures.map((f) => ({
          line: f.at.line,
          column: f.at.column,
          what: f.what,
          expected: f.expected ?? null,
          actual: f.actual ?? null,
        })),
      })),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
