import { availableParallelism } from 'node:os';

import { FlowlineError, ValidationError, formatDiagnostic } from '@flowline/core';
import type { LocalRunOptions, LocalRunResult, RunnerDeps } from '@flowline/runner-local';
import { checkSandbox } from '@flowline/sandbox';
import { type CompiledWorkflow, loadWorkflowFile } from '@flowline/workflow';

import { type CliIo, EXIT, UsageError } from '../cli-io.js';
import type { ParsedCommand } from '../command.js';
import { excludedPaths, runnerDeps, secretsFromEnv } from './local-setup.js';
import { RunReporter } from './run-reporter.js';
import { runSummary } from './run-summary.js';

/** Options shared by `run`, `resume` and `retry`. */
export const DRIVE_OPTIONS = {
  'state-dir': { type: 'string' },
  parallel: { type: 'string' },
  'no-cache': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export const DRIVE_OPTION_HELP = {
  'state-dir': 'where runs and the cache live (default ./.flowline, or FLOWLINE_STATE_DIR)',
  parallel: 'steps run at once (default: the number of CPUs)',
  'no-cache': 'neither read nor write the step cache',
  json: 'print one JSON object with the result instead of a summary',
} as const;

/** Loads a workflow for running: its diagnostics on stderr; an invalid one is a usage-class failure (exit 2). */
export async function workflowForRun(file: string, io: CliIo, command: string): Promise<CompiledWorkflow | undefined> {
  const result = await loadWorkflowFile(file).catch((error: unknown) => {
    if (error instanceof FlowlineError && error.code === 'file_unreadable')
      throw new UsageError(error.message, command);
    throw error;
  });
  for (const d of result.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
  return result.ok ? result.workflow : undefined;
}

/**
 * Runs, resumes or retries on this machine: sets up the stores and sandbox,
 * reports progress, prints the result (`--json` or a last line), and maps
 * it to the exit status: 0 succeeded, 1 failed or cancelled, 2 bad input or
 * configuration (nothing was changed).
 */
export async function driveLocal(
  io: CliIo,
  args: ParsedCommand,
  context: { readonly workflow: CompiledWorkflow; readonly workspace: string; readonly stateDir: string },
  act: (deps: RunnerDeps, options: LocalRunOptions) => Promise<LocalRunResult>,
): Promise<number> {
  const { workflow } = context;
  const reporter = new RunReporter(workflow, io);
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  try {
    const secrets = secretsFromEnv(workflow.secrets, io);
    const deps = runnerDeps(io, context.stateDir, { cache: args.values['no-cache'] !== true });
    // One clear line now rather than the same failure on every step.
    await checkSandbox(deps.sandbox, { scratchDir: deps.tempDir, capture: deps.sandbox.capturesChanges });
    process.once('SIGINT', onSigint);
    const result = await act(deps, {
      workflow,
      parallel: parallelOf(args.values['parallel']),
      secrets,
      exclude: excludedPaths(context.workspace, context.stateDir),
      onStart: (record, state) => reporter.started(record.runId, state.steps.length > 0 && record.version > 1),
      onEvent: (event, state) => reporter.update(event, state),
      signal: interrupt.signal,
    });
    reporter.finished(result.state);
    if (args.values['json'] === true)
      io.stdout.write(`${JSON.stringify(runSummary(workflow, result.record, result.state), null, 2)}\n`);
    return result.record.status === 'succeeded' ? EXIT.ok : EXIT.failed;
  } catch (error) {
    if (error instanceof ValidationError || isConfigError(error)) {
      io.stderr.write(`flowline: error: ${(error as FlowlineError).message}\n`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Errors that mean "fix your input or setup": nothing ran, nothing changed. */
function isConfigError(error: unknown): boolean {
  const codes = [
    'bad_config',
    'sandbox_unavailable',
    'change_capture_unavailable',
    'missing_secret',
    'unknown_run',
    'unknown_step',
    'run_finished',
    'run_running',
    'run_in_progress',
    'nothing_to_retry',
    'workflow_changed',
  ];
  return error instanceof FlowlineError && codes.includes(error.code);
}

function parallelOf(value: unknown): number {
  if (value === undefined) return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--parallel must be a whole number ≥ 1, got "${JSON.stringify(value)}"`);
  return n;
}
