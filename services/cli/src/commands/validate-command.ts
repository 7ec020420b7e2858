import { type Diagnostic, FlowlineError, formatDiagnostic } from '@flowline/core';
import { loadWorkflowFile } from '@flowline/workflow';

import { type CliIo, EXIT, painter } from '../cli-io.js';
import type { Command } from '../command.js';

interface FileReport {
  readonly file: string;
  readonly valid: boolean;
  readonly steps?: number;
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the file could not be read at all. */
  readonly error?: string;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check workflow files for schema and logic errors',
  usage: 'flowline validate FILE… [--json] [--quiet]',
  details:
    'Exit status: 0 when every file is valid, 1 when any is invalid, 2 on a usage error\n' +
    '(including a file that cannot be read). Problems are printed to stderr as\n' +
    'file:line:col: severity: message [code].',
  options: { json: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' } },
  optionHelp: { json: 'print one JSON report on stdout instead of text', quiet: 'print only problems' },
  positionals: [1, Infinity],
  async run(args, io) {
    const reports: FileReport[] = [];
    for (const file of args.positionals) reports.push(await validateFile(file));
    if (args.values['json'] === true) printJson(reports, io);
    else printText(reports, io, args.values['quiet'] === true);
    if (reports.some((r) => r.error !== undefined)) return EXIT.usage;
    return reports.every((r) => r.valid) ? EXIT.ok : EXIT.failed;
  },
};

async function validateFile(file: string): Promise<FileReport> {
  try {
    const result = await loadWorkflowFile(file);
    return result.ok
      ? { file, valid: true, steps: result.workflow.steps.size, diagnostics: result.diagnostics }
      : { file, valid: false, diagnostics: result.diagnostics };
  } catch (error) {
    if (error instanceof FlowlineError && error.code === 'file_unreadable') {
      return { file, valid: false, diagnostics: [], error: error.message };
    }
    throw error;
  }
}

function printText(reports: readonly FileReport[], io: CliIo, quiet: boolean): void {
  const err = painter(io.stderr, io.env);
  const out = painter(io.stdout, io.env);
  for (const report of reports) {
    if (report.error !== undefined) io.stderr.write(`flowline: ${err.red('error')}: ${report.error}\n`);
    for (const d of report.diagnostics) {
      io.stderr.write(`${formatDiagnostic(d, (s) => (s === 'error' ? err.red(s) : err.yellow(s)))}\n`);
    }
    if (report.valid && !quiet)
      io.stdout.write(`${out.green('✓')} ${report.file} is valid (${plural(report.steps ?? 0, 'step')})\n`);
  }
  const invalid = reports.filter((r) => !r.valid).length;
  if (invalid > 0 && reports.length > 1) {
    const errors = reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'error').length, 0);
    io.stderr.write(`${invalid} of ${plural(reports.length, 'file')} invalid (${plural(errors, 'error')})\n`);
  }
}

function printJson(reports: readonly FileReport[], io: CliIo): void {
  const body = { valid: reports.every((r) => r.valid), files: reports };
  io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
