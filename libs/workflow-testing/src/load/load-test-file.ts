import { readFile, stat } from 'node:fs/promises';

import { type Diagnostic, FlowlineError, compareDiagnostics, hasErrors } from '@flowline/core';
import { type CompiledWorkflow, type LoadResult, loadWorkflowFile } from '@flowline/workflow';

import { checkTestFile } from '../check/check-test-file.js';
import { Problems } from '../parse/problems.js';
import { readTestFile } from '../parse/read-test-file.js';
import type { TestFile, WorkspaceSpec } from '../spec/test-spec.js';

export type LoadedTestFile =
  | {
      readonly ok: true;
      readonly testFile: TestFile;
      readonly workflow: CompiledWorkflow;
      /** The workflow's warnings. */
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const START = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * Reads a test file and everything it names, checking all of it before any
 * case runs: the file's own shape, the workflow under test (its own
 * diagnostics are reported as they are), the workspace directories, and how
 * each case fits the workflow. Nothing of a file with an error runs.
 */
export async function loadTestFile(file: string): Promise<LoadedTestFile> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => error);
  if (typeof text !== 'string')
    return failed(file, 'file-unreadable', `cannot read the test file: ${text.code ?? text.message}`);
  const read = readTestFile(text, file);
  if (read.testFile === undefined) return { ok: false, diagnostics: read.diagnostics };
  const { testFile } = read;
  const loaded = await loadWorkflow(testFile);
  if (!loaded.ok) return { ok: false, diagnostics: [...read.diagnostics, ...loaded.diagnostics] };
  const checks = [...(await missingWorkspaces(testFile)), ...checkTestFile(testFile, loaded.workflow)];
  const problems = [...read.diagnostics, ...checks].sort(compareDiagnostics);
  if (hasErrors(problems)) return { ok: false, diagnostics: problems };
  return { ok: true, testFile, workflow: loaded.workflow, diagnostics: loaded.diagnostics };
}

async function loadWorkflow(testFile: TestFile): Promise<LoadResult> {
  try {
    return await loadWorkflowFile(testFile.workflowFile);
  } catch (error) {
    if (!(error instanceof FlowlineError) || error.code !== 'file_unreadable') throw error;
    const problems = new Problems(testFile.file);
    problems.error('workflow-unreadable', `the workflow under test: ${error.message}`, testFile.workflowAt);
    return { ok: false, diagnostics: problems.items };
  }
}

/** Every workspace a case copies, and every link target, must exist: found now, not per case at run time. */
async function missingWorkspaces(testFile: TestFile): Promise<Diagnostic[]> {
  const problems = new Problems(testFile.file);
  const specs = new Set<WorkspaceSpec>(testFile.cases.flatMap((c) => (c.workspace === undefined ? [] : [c.workspace])));
  for (const spec of specs) {
    if (spec.from !== undefined && !(await isDirectory(spec.from))) {
      problems.error('workspace-missing', `workspace ${spec.from} is not a directory`, spec.at);
    }
    for (const link of spec.links) {
      if (!(await exists(link.target)))
        problems.error('workspace-missing', `link target ${link.target} does not exist`, link.at);
    }
  }
  return problems.items;
}

function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function failed(file: string, code: string, message: string): LoadedTestFile {
  const problems = new Problems(file);
  problems.error(code, message, START);
  return { ok: false, diagnostics: problems.items };
}
