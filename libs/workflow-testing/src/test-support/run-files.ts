import { tmpdir } from 'node:os';

import { formatDiagnostic } from '@flowline/core';
import { loadExecutorConfig } from '@flowline/executors';
import { createSandbox } from '@flowline/sandbox';

import { loadTestFile } from '../load/load-test-file.js';
import type { CaseResult, TestEnvironment } from '../run/run-case.js';
import { type LoadedSuite, type SuiteResult, runSuite } from '../run/run-suite.js';

export type SuiteEnvironment = TestEnvironment & { readonly jobs: number };

/** What `flowline test` runs on: real bubblewrap, executor settings from a small environment. */
export function testEnvironment(overrides: Partial<SuiteEnvironment> = {}): SuiteEnvironment {
  const { sandbox } = createSandbox({ mode: 'bwrap', searchPath: process.env['PATH'] });
  return {
    sandbox,
    config: loadExecutorConfig({ FLOWLINE_EGRESS_ALLOW: '127.0.0.1' }),
    tempDir: tmpdir(),
    parallel: 4,
    timeoutMs: 60_000,
    warn: (message) => {
      throw new Error(`unexpected warning: ${message}`);
    },
    jobs: 2,
    ...overrides,
  };
}

/** Loads the test files (refusing any with errors) and runs every case. */
export async function runFiles(files: readonly string[], env: Partial<SuiteEnvironment> = {}): Promise<SuiteResult> {
  const suites: LoadedSuite[] = [];
  for (const file of files) {
    const loaded = await loadTestFile(file);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    suites.push({ testFile: loaded.testFile, workflow: loaded.workflow });
  }
  return runSuite(suites, testEnvironment(env));
}

/** Each case's failures as `line:col what | expected | actual`, by case name: what a report would print. */
export function failuresByCase(result: SuiteResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of result.files.flatMap((f) => f.cases)) out[c.name] = c.failures.map(failureText);
  return out;
}

function failureText(failure: CaseResult['failures'][number]): string {
  const parts = [`${failure.at.line}:${failure.at.column} ${failure.what}`];
  if (failure.expected !== undefined) parts.push(`expected ${failure.expected}`, `actual ${failure.actual}`);
  return parts.join(' | ');
}
