import { type Diagnostic, assertNever, formatDiagnostic } from '@flowline/core';
import {
  type FileLintResult,
  type LintPathsResult,
  jsonLintReport,
  lintPaths,
  lintTotals,
  sarifLog,
  summaryLine,
} from '@flowline/workflow';
import { loadTestFile } from '@flowline/workflow-testing';

import { type CliIo, EXIT, UsageError, painter } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';
import { VERSION } from '../version.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type LintFormat = (typeof FORMATS)[number];

export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check workflow files against the lint rules (logic, performance, security, best practice)',
  usage: 'flowline lint FILE|DIR… [--format text|json|sarif] [--config FILE] [--strict] [--quiet]',
  details:
    'A DIR stands for the *.yaml/*.yml workflow files directly in it (not *.test.yaml).\n' +
    'A *.test.yaml FILE named outright is checked as a test suite, as flowline test checks it.\n' +
    'Exit status: 0 no errors (warnings allowed), 1 any error (or, with --strict, any warning),\n' +
    '2 a usage error, a file that cannot be read or a lint config that is invalid.\n' +
    'Rules, suppression comments and .flowline-lint.yaml: docs/lint-rules.md.',
  options: {
    format: { type: 'string', short: 'f', default: 'text' },
    config: { type: 'string', short: 'c' },
    strict: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
  },
  optionHelp: {
    format: 'text (default), json or sarif (SARIF 2.1.0, for GitHub code scanning)',
    config: 'use this lint config for every file instead of looking for .flowline-lint.yaml',
    strict: 'exit 1 on warnings too',
    quiet: 'leave warnings out of the output (--strict still counts them)',
  },
  positionals: [1, Infinity],
  async run(args, io) {
    const format = formatOf(args);
    const config = args.values['config'];
    const suites = args.positionals.filter(isTestSuite);
    const workflows = args.positionals.filter((arg) => !isTestSuite(arg));
    const linted =
      workflows.length === 0
        ? { results: [], configFailures: [], problems: [] }
        : await lintPaths(workflows, { configFile: typeof config === 'string' ? config : undefined });
    // Workflows first, then suites, each in the order given.
    const run = { ...linted, results: [...linted.results, ...(await Promise.all(suites.map(checkSuite)))] };
    reportFailures(run, io);
    const shown = args.values['quiet'] === true ? run.results.map(withoutWarnings) : run.results;
    io.stdout.write(render(format, shown, io));
    return exitStatus(run, args.values['strict'] === true);
  },
};

const TEST_SUITE = /\.test\.ya?ml$/;

function isTestSuite(path: string): boolean {
  return TEST_SUITE.test(path);
}

/**
 * A test suite among the arguments (a shell glob such as `templates/*.yaml`
 * takes them in) is checked as `flowline test` checks it before running: its
 * shape, the workflow it names, and how its cases fit that workflow. The
 * lint rules are for workflows; the suite has no findings of its own besides.
 */
async function checkSuite(file: string): Promise<FileLintResult> {
  const loaded = await loadTestFile(file);
  return { file, diagnostics: loaded.ok ? [] : loaded.diagnostics };
}

function formatOf(args: ParsedCommand): LintFormat {
  const format = args.values['format'];
  if (!(FORMATS as readonly unknown[]).includes(format)) {
    throw new UsageError(`--format must be text, json or sarif, got "${String(format)}"`, 'lint');
  }
  return format as LintFormat;
}

/** Problems with the run itself (not with a workflow) go to stderr, whatever the format. */
function reportFailures(run: LintPathsResult, io: CliIo): void {
  const err = painter(io.stderr, io.env);
  const fail = (message: string) => io.stderr.write(`flowline: ${err.red('error')}: ${message}\n`);
  run.problems.forEach(fail);
  for (const failure of run.configFailures) {
    if (failure.error !== undefined) fail(failure.error);
    for (const d of failure.diagnostics) io.stderr.write(`${formatDiagnostic(d, (s) => err.red(s))}\n`);
  }
  for (const result of run.results) if (result.error !== undefined) fail(result.error);
}

function render(format: LintFormat, results: readonly FileLintResult[], io: CliIo): string {
  switch (format) {
    case 'text':
      return renderText(results, io);
    case 'json':
      return `${JSON.stringify(jsonLintReport(results), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(sarifLog(results, { toolVersion: VERSION, cwd: process.cwd() }), null, 2)}\n`;
    default:
      return assertNever(format, 'lint format');
  }
}

function renderText(results: readonly FileLintResult[], io: CliIo): string {
  const out = painter(io.stdout, io.env);
  const paint = (severity: Diagnostic['severity']) => (severity === 'error' ? out.red(severity) : out.yellow(severity));
  const lines = results.flatMap((r) => r.diagnostics.map((d) => formatDiagnostic(d, paint)));
  lines.push(summaryLine(lintTotals(results.filter((r) => r.error === undefined))));
  return `${lines.join('\n')}\n`;
}

function withoutWarnings(result: FileLintResult): FileLintResult {
  return { ...result, diagnostics: result.diagnostics.filter((d) => d.severity === 'error') };
}

function exitStatus(run: LintPathsResult, strict: boolean): number {
  if (run.problems.length > 0 || run.results.some((r) => r.error !== undefined)) return EXIT.usage;
  const { errors, warnings } = lintTotals(run.results);
  return errors > 0 || (strict && warnings > 0) ? EXIT.failed : EXIT.ok;
}
