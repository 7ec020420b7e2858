/** Where a diagnostic points, 1-based like every editor and compiler. */
export interface SourceSpan {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type Severity = 'error' | 'warning';

/**
 * One finding about a workflow file: what is wrong, where, and a stable code
 * that tests, docs and machine output can rely on.
 */
export interface Diagnostic extends SourceSpan {
  readonly severity: Severity;
  /** Stable identifier, e.g. `unknown-need` or `schema-unknown-field`. */
  readonly code: string;
  /** One line, in plain words, naming the step or field it concerns. */
  readonly message: string;
  readonly file: string;
  /** JSON path of the offending value inside the workflow, e.g. `steps.3.needs.0`. */
  readonly path?: string;
  readonly stepId?: string;
}

/**
 * `file:line:col: severity: message [code]` — the shape compilers use, so
 * terminals and editors link it. `paint` may colour the severity word.
 */
export function formatDiagnostic(d: Diagnostic, paint: (severity: Severity) => string = (s) => s): string {
  return `${d.file}:${d.line}:${d.column}: ${paint(d.severity)}: ${d.message} [${d.code}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Orders diagnostics by file, then position, so output reads top to bottom like each file. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
