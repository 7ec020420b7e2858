import { resolve } from 'node:path';

import { SecretMasker, type SourceSpan, errorMessage, formatDuration } from '@flowline/core';
import type { RunState } from '@flowline/engine';
import type { ExecutorConfig } from '@flowline/executors';
import type { RunRecordStatus } from '@flowline/ports';
import { type LocalRunResult, type RunnerDeps, startLocalRun } from '@flowline/runner-local';
import type { Sandbox } from '@flowline/sandbox';
import { FileRunStateStore, FileStepLogStore, FsBlobStore, FsStepCache } from '@flowline/store-fs';
import type { CompiledWorkflow } from '@flowline/workflow';

import { type Failure, checkExpectations } from '../expect/check-expectations.js';
import type { TestCase, TestFile } from '../spec/test-spec.js';
import { CaseExecutors } from './case-executors.js';
import { runSetup } from './case-setup.js';
import { type CaseDirs, copyWorkspace, makeCaseDirs } from './case-workspace.js';

/** What every case runs on: given once by the caller, which reads them from its environment. */
export interface TestEnvironment {
  readonly sandbox: Sandbox;
  readonly config: ExecutorConfig;
  /** Where each case's directories go. */
  readonly tempDir: string;
  /** Steps run at once within one case. */
  readonly parallel: number;
  /** A case still running after this long is cancelled and fails. */
  readonly timeoutMs: number;
  readonly warn: (message: string) => void;
}

export interface CaseResult {
  readonly name: string;
  readonly at: SourceSpan;
  readonly passed: boolean;
  readonly durationMs: number;
  readonly failures: readonly Failure[];
  /** The run's status, when the case got as far as running. */
  readonly runStatus?: RunRecordStatus;
}

interface CaseContext {
  readonly testFile: TestFile;
  readonly workflow: CompiledWorkflow;
  readonly testCase: TestCase;
  readonly env: TestEnvironment;
  readonly dirs: CaseDirs;
  readonly signal: AbortSignal;
}

/**
 * Runs one case in its own directories — a fresh copy of the workspace, a
 * state directory and step cache of its own — with its mocks standing in
 * for steps, then checks every expectation. Never throws: anything that
 * goes wrong is a failure of the case, at the case's line.
 */
export async function runCase(
  testFile: TestFile,
  workflow: CompiledWorkflow,
  testCase: TestCase,
  env: TestEnvironment,
): Promise<CaseResult> {
  const started = Date.now();
  const result = (failures: readonly Failure[], runStatus?: RunRecordStatus): CaseResult => ({
    name: testCase.name,
    at: testCase.at,
    passed: failures.length === 0,
    durationMs: Date.now() - started,
    failures,
    ...(runStatus === undefined ? {} : { runStatus }),
  });
  const missing = workflow.secrets.filter((name) => !Object.hasOwn(testCase.secrets, name));
  if (missing.length > 0) return result([missingSecrets(testCase, missing)]);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort('timeout'), env.timeoutMs);
  let dirs: CaseDirs | undefined;
  try {
    dirs = await makeCaseDirs(env.tempDir);
    const context: CaseContext = { testFile, workflow, testCase, env, dirs, signal: timeout.signal };
    const { failures, status } = await runAndCheck(context);
    return result(failures, status);
  } catch (error) {
    return result([{ at: testCase.at, what: `the case could not run: ${errorMessage(error)}` }]);
  } finally {
    clearTimeout(timer);
    await dirs?.remove().catch((error: unknown) => env.warn(`could not remove ${dirs?.root}: ${errorMessage(error)}`));
  }
}

/** The run's status is absent when the case never got to run (its setup failed). */
async function runAndCheck(context: CaseContext): Promise<{ failures: Failure[]; status?: RunRecordStatus }> {
  const { testCase, workflow, signal } = context;
  if (testCase.warmCache) {
    // The warm-up fills the case's cache from a throwaway copy; its outcome is not judged.
    const warmUp = await prepareWorkspace(context, 'warm-up');
    if (typeof warmUp !== 'string') return { failures: [warmUp] };
    const warm = await runOnce(context, warmUp, 'warm-up');
    // A run started on a signal already aborted would never see the abort: stop here.
    if (signal.aborted) return timedOut(context, warm.run.record.status);
  }
  const workspace = await prepareWorkspace(context, 'workspace');
  if (typeof workspace !== 'string') return { failures: [workspace] };
  const { run, executors } = await runOnce(context, workspace, 'case');
  if (signal.aborted) return timedOut(context, run.record.status);
  const masker = new SecretMasker(Object.values(testCase.secrets));
  const facts = { workflow, record: run.record, state: run.state, workspace, masker };
  const unused: Failure[] = executors.unused.map((u) => ({
    at: u.at,
    what: `step ${u.key}: the agent stopped after ${u.use.used} of the transcript's ${u.use.total} turns`,
  }));
  return { failures: [...unused, ...(await checkExpectations(testCase.expect, facts))], status: run.record.status };
}

/** A fresh copy of the case's workspace with its setup scripts run: its path, or why setup failed. */
async function prepareWorkspace(context: CaseContext, name: string): Promise<string | Failure> {
  const workspace = await copyWorkspace(context.testCase.workspace, context.dirs.root, name);
  return (await runSetup(context.testCase.setup, workspace, context.signal)) ?? workspace;
}

function timedOut(context: CaseContext, status: RunRecordStatus): { failures: Failure[]; status: RunRecordStatus } {
  const what = `timed out after ${formatDuration(context.env.timeoutMs)}; the run was cancelled`;
  return { failures: [{ at: context.testCase.at, what }], status };
}

async function runOnce(
  context: CaseContext,
  workspace: string,
  runId: string,
): Promise<{ run: LocalRunResult; executors: CaseExecutors }> {
  const { testFile, workflow, testCase, env, signal } = context;
  let latest: RunState | undefined;
  const stepIndex = new Map([...workflow.steps.keys()].map((id, index) => [id, index]));
  const executors = new CaseExecutors(testCase.mocks, (key) => {
    const step = latest?.steps.get(stepIndex.get(key.step)!);
    return key.item === undefined ? undefined : step?.itemValues?.[key.item];
  });
  const deps = caseDeps(context, (step) => executors.executorFor(step));
  const options = {
    workflow,
    parallel: env.parallel,
    secrets: testCase.secrets,
    exclude: [],
    signal,
    onEvent: (_event: unknown, state: RunState) => (latest = state),
  };
  const target = { runId, inputs: testCase.inputs, workspace, workflowFile: resolve(testFile.workflowFile) };
  return { run: await startLocalRun(deps, options, target), executors };
}

/** The embedded stores in the case's own state directory, outside its workspace. */
function caseDeps(context: CaseContext, executorFor: NonNullable<RunnerDeps['executorFor']>): RunnerDeps {
  const { env, dirs } = context;
  return {
    runs: new FileRunStateStore(dirs.stateDir),
    logs: new FileStepLogStore(dirs.stateDir),
    blobs: new FsBlobStore(dirs.stateDir),
    cache: new FsStepCache(dirs.stateDir, {
      onCorrupt: (key, reason) => env.warn(`cache entry ${key.slice(0, 12)} is corrupt (${reason})`),
    }),
    sandbox: env.sandbox,
    config: withLinkTargetsReadable(env.config, context.testCase),
    clock: Date.now,
    tempDir: dirs.root,
    warn: env.warn,
    executorFor,
  };
}

/**
 * A `link:` in the case's workspace points outside it, often under /tmp (a
 * checkout's node_modules), where the sandbox's private /tmp would hide it:
 * the link targets are made readable to the case's steps.
 */
function withLinkTargetsReadable(config: ExecutorConfig, testCase: TestCase): ExecutorConfig {
  const targets = testCase.workspace?.links.map((link) => link.target) ?? [];
  return targets.length === 0 ? config : { ...config, sandboxReadable: [...config.sandboxReadable, ...targets] };
}

function missingSecrets(testCase: TestCase, missing: readonly string[]): Failure {
  const list = missing.join(', ');
  return {
    at: testCase.at,
    what: `the workflow declares secret${missing.length > 1 ? 's' : ''} ${list}; give the case fake values under secrets: (the environment's are never used)`,
  };
}
