import type { CompiledWorkflow } from '@flowline/workflow';

import type { TestCase, TestFile } from '../spec/test-spec.js';
import { mapInOrder } from './map-in-order.js';
import { type CaseResult, type TestEnvironment, runCase } from './run-case.js';

/** A test file ready to run: checked, with its workflow compiled. */
export interface LoadedSuite {
  readonly testFile: TestFile;
  readonly workflow: CompiledWorkflow;
}

export interface FileResult {
  readonly file: string;
  readonly workflow: string;
  readonly cases: readonly CaseResult[];
  /** The sum of its cases' durations (they may have run side by side). */
  readonly durationMs: number;
}

export interface SuiteResult {
  readonly files: readonly FileResult[];
  readonly passed: number;
  readonly failed: number;
  /** Wall-clock time of the whole suite. */
  readonly durationMs: number;
}

/**
 * Runs every case of every file, `jobs` at once — cases are isolated, so
 * their order does not matter — and reports them in file order through
 * `onCase` as they complete.
 */
export async function runSuite(
  suites: readonly LoadedSuite[],
  env: TestEnvironment & { readonly jobs: number },
  onCase?: (suite: LoadedSuite, result: CaseResult) => void,
): Promise<SuiteResult> {
  const started = Date.now();
  const work = suites.flatMap((suite) => suite.testFile.cases.map((testCase) => ({ suite, testCase })));
  const run = ({ suite, testCase }: { suite: LoadedSuite; testCase: TestCase }) =>
    runCase(suite.testFile, suite.workflow, testCase, env);
  const results = await mapInOrder(work, env.jobs, run, (result, i) => onCase?.(work[i]!.suite, result));
  const files = suites.map((suite) => {
    const cases = results.filter((_, i) => work[i]!.suite === suite);
    const durationMs = cases.reduce((sum, c) => sum + c.durationMs, 0);
    return { file: suite.testFile.file, workflow: suite.workflow.name, cases, durationMs };
  });
  const passed = results.filter((r) => r.passed).length;
  return { files, passed, failed: results.length - passed, durationMs: Date.now() - started };
}
