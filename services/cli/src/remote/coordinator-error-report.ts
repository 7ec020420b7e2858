import { dirname, join } from 'node:path';

import { type Diagnostic, formatDiagnostic } from '@flowline/core';

import { type CliIo, EXIT, painter } from '../cli-io.js';
import type { DiagnosticJson } from './api-types.js';
import type { CoordinatorError } from './coordinator-client.js';

/** The name the coordinator gives inline YAML in its diagnostics (services/coordinator's INLINE_FILE). */
const INLINE_FILE = 'inline.yaml';

export interface ErrorContext {
  /**
   * The local workflow file sent inline: diagnostics then name it (and the
   * template files beside it) instead of the coordinator's `inline.yaml`,
   * so `file:line:col` opens in an editor.
   */
  readonly workflowFile?: string;
}

/**
 * Prints a failed request as one line on stderr (and, for an invalid
 * workflow, one line per diagnostic before it) and returns the exit
 * status: 1 when the coordinator refused the work itself (an invalid
 * workflow or inputs, an unknown run, a run in the wrong state); 2 when
 * the question could not be asked (unreachable, not authorized, a
 * malformed request, a server error).
 */
export function reportCoordinatorError(error: CoordinatorError, io: CliIo, context: ErrorContext): number {
  const paint = painter(io.stderr, io.env);
  const line = (text: string) => io.stderr.write(`flowline: ${paint.red('error')}: ${text}\n`);
  if (error.status === 401) {
    line(`the coordinator refused the token (${error.message}): set FLOWLINE_TOKEN to a token it accepts`);
    return EXIT.usage;
  }
  if (error.code === 'invalid_workflow') {
    const diagnostics = diagnosticsOf(error);
    for (const d of diagnostics) {
      const shown = localDiagnostic(d, context.workflowFile);
      io.stderr.write(`${formatDiagnostic(shown, (s) => (s === 'error' ? paint.red(s) : paint.yellow(s)))}\n`);
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const what = context.workflowFile ?? 'the workflow';
    line(`${what} is not a valid workflow (${errors} error${errors === 1 ? '' : 's'}) [invalid_workflow]`);
    return EXIT.failed;
  }
  line(error.status === undefined ? error.message : `${error.message} [${error.code}]`);
  return exitOf(error);
}

function exitOf(error: CoordinatorError): number {
  const status = error.status;
  if (status === undefined || status >= 500 || status === 401 || status === 403) return EXIT.usage;
  // bad_request: the CLI built a request the API rejects (a malformed name or value from the command line);
  // not_found: no such route, so the URL is not a coordinator (or not this version of it).
  if (error.code === 'bad_request' || error.code === 'not_found' || error.code.startsWith('http_')) return EXIT.usage;
  return EXIT.failed;
}

function diagnosticsOf(error: CoordinatorError): readonly DiagnosticJson[] {
  const list = error.details?.['diagnostics'];
  return Array.isArray(list) ? (list as DiagnosticJson[]) : [];
}

/** The coordinator's diagnostic with its file named as it is here. */
function localDiagnostic(d: DiagnosticJson, workflowFile: string | undefined): Diagnostic {
  let file = d.file;
  if (workflowFile !== undefined) file = d.file === INLINE_FILE ? workflowFile : join(dirname(workflowFile), d.file);
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file,
    line: d.line,
    column: d.column,
    endLine: d.end_line,
    endColumn: d.end_column,
  };
}
