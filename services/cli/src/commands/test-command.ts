import { writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';

import { FlowlineError, assertNever, errorMessage, formatDiagnostic, hasErrors, parseDuration } from '@flowline/core';
import { loadExecutorConfig } from '@flowline/executors';
import { checkSandbox, createSandbox } from '@flowline/sandbox';
import {
  type CaseResult,
  type LoadedSuite,
  type SuiteResult,
  type TestEnvironment,
  findTestFiles,
  jsonReport,
  junitReport,
  loadTestFile,
  prettyCase,
  prettyFile,
  prettyReport,
  prettySummary,
  runSuite,
} from '@flowline/workflow-testing';

import { type CliIo, EXIT, UsageError, painter } from '../cli-io.js';
import type { Command, ParsedCommand } from '../command.js';

const REPORTERS = ['pretty', 'json', 'junit'] as const;
type Reporter = (typeof REPORTERS)[number];

interface TestOptions {
  readonly reporter: Reporter;
  readonly output: string | undefined;
  readonly jobs: number;
  readonly timeoutMs: number;
}

export const testCommand: Command = {
  name: 'test',
  summary: 'Run workflow test files (*.test.yaml): cases with mocked steps, checked against expectations',
  usage: 'flowline test [PATH…] [--reporter pretty|json|junit] [--output FILE] [--jobs N] [--timeout DURATION]',
  details:
    'PATH is a test file or a directory searched for *.test.yaml (default: the current directory).\n' +
    'Exit status: 0 every case passed, 1 a case failed, 2 bad arguments, an invalid test file or none found.\n' +
    'Steps run under bubblewrap unless FLOWLINE_SANDBOX=none. See docs/testing-workflows.md.',
  options: {
    reporter: { type: 'string', short: 'r' },
    output: { type: 'string', short: 'o' },
    jobs: { type: 'string', short: 'j' },
    timeout: { type: 'string' },
  },
  optionHelp: {
    reporter: 'pretty (default), json (one document) or junit (JUnit XML for CI)',
    output: 'write the report to FILE instead of stdout (the pretty one then goes to stdout)',
    jobs: 'cases run at once (default: the number of CPUs)',
    timeout: 'a case still running after this long is cancelled and fails (default 10m)',
  },
  positionals: [0, Infinity],
  async run(args, io) {
    const options = testOptions(args);
    const suites = await loadSuites(args.positionals.length === 0 ? ['.'] : args.positionals, io);
    if (suites === undefined) return EXIT.usage;
    const env = await testEnvironment(io, options);
    if (env === undefined) return EXIT.usage;
    const result = await runSuite(suites, env, progressPrinter(io, options));
    if (!(await writeReportOrSay(result, io, options))) return EXIT.usage;
    return result.failed > 0 ? EXIT.failed : EXIT.ok;
  },
};

function testOptions(args: ParsedCommand): TestOptions {
  const { reporter = 'pretty', output, jobs, timeout = '10m' } = args.values as Record<string, string | undefined>;
  const known = REPORTERS.find((r) => r === reporter);
  if (known === undefined)
    throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')}, not "${reporter}"`, 'test');
  const jobCount = jobs === undefined ? availableParallelism() : Number(jobs);
  if (!Number.isInteger(jobCount) || jobCount < 1)
    throw new UsageError(`--jobs must be a whole number ≥ 1, not "${jobs}"`, 'test');
  const timeoutMs = parseDuration(timeout);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new UsageError(`--timeout must be a duration such as 90s or 10m, not "${timeout}"`, 'test');
  return { reporter: known, output, jobs: jobCount, timeoutMs };
}

/** Finds and checks every test file before anything runs: one invalid file, and nothing runs. */
async function loadSuites(paths: readonly string[], io: CliIo): Promise<LoadedSuite[] | undefined> {
  const files = await findTestFiles(paths).catch((error: unknown) => {
    if (error instanceof FlowlineError && error.code === 'path_not_found') throw new UsageError(error.message, 'test');
    throw error;
  });
  if (files.length === 0) {
    io.stderr.write(`flowline: error: no test files (*.test.yaml) found in ${paths.join(', ')}\n`);
    return undefined;
  }
  const loaded = await Promise.all(files.map(loadTestFile));
  const paint = painter(io.stderr, io.env);
  for (const d of loaded.flatMap((l) => l.diagnostics)) {
    io.stderr.write(`${formatDiagnostic(d, (s) => (s === 'error' ? paint.red(s) : paint.yellow(s)))}\n`);
  }
  if (loaded.some((l) => !l.ok || hasErrors(l.diagnostics))) return undefined;
  return loaded.flatMap((l) => (l.ok ? [{ testFile: l.testFile, workflow: l.workflow }] : []));
}

/** The sandbox and executor settings `flowline run` would use, checked once here rather than failing every case. */
async function testEnvironment(
  io: CliIo,
  options: TestOptions,
): Promise<(TestEnvironment & { jobs: number }) | undefined> {
  const warn = (message: string) => io.stderr.write(`flowline: ${message}\n`);
  const tempDir = io.env['FLOWLINE_TMPDIR'] ?? tmpdir();
  try {
    const { sandbox, warning } = createSandbox({ mode: io.env['FLOWLINE_SANDBOX'], searchPath: io.env['PATH'] });
    if (warning !== undefined) warn(warning);
    const config = loadExecutorConfig(io.env);
    await checkSandbox(sandbox, { scratchDir: tempDir, capture: sandbox.capturesChanges });
    return {
      sandbox,
      config,
      tempDir,
      parallel: availableParallelism(),
      timeoutMs: options.timeoutMs,
      warn,
      jobs: options.jobs,
    };
  } catch (error) {
    const setup = ['bad_config', 'sandbox_unavailable', 'change_capture_unavailable'];
    if (!(error instanceof FlowlineError) || !setup.includes(error.code)) throw error;
    io.stderr.write(`flowline: error: ${error.message}\n`);
    return undefined;
  }
}

/**
 * The pretty report, case by case as they finish, and its summary line: on
 * stdout, unless a json or junit document goes there, in which case on
 * stderr, so CI logs still show what failed while stdout stays parseable.
 */
function progressStream(io: CliIo, options: TestOptions): CliIo['stdout'] {
  return options.reporter !== 'pretty' && options.output === undefined ? io.stderr : io.stdout;
}

function progressPrinter(io: CliIo, options: TestOptions) {
  const stream = progressStream(io, options);
  const paint = painter(stream, io.env);
  let lastFile: string | undefined;
  return (suite: LoadedSuite, result: CaseResult) => {
    const file = suite.testFile.file;
    if (file !== lastFile) stream.write(prettyFile(file, paint));
    lastFile = file;
    stream.write(prettyCase(file, result, paint));
  };
}

async function writeReport(result: SuiteResult, io: CliIo, options: TestOptions): Promise<void> {
  const stream = progressStream(io, options);
  stream.write(prettySummary(result, painter(stream, io.env)));
  if (options.reporter === 'pretty' && options.output === undefined) return;
  const report = reportText(result, options.reporter);
  if (options.output === undefined) io.stdout.write(report);
  else await writeFile(options.output, report);
}

/** Writes the report; a file that cannot be written is a bad --output (exit 2), said in one line. */
async function writeReportOrSay(result: SuiteResult, io: CliIo, options: TestOptions): Promise<boolean> {
  try {
    await writeReport(result, io, options);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    io.stderr.write(`flowline: error: cannot write the report to ${options.output}: ${errorMessage(error)}\n`);
    return false;
  }
}

function reportText(result: SuiteResult, reporter: Reporter): string {
  switch (reporter) {
    case 'pretty':
      return prettyReport(result);
    case 'json':
      return jsonReport(result);
    case 'junit':
      return junitReport(result);
    default:
      return assertNever(reporter, 'reporter');
  }
}
