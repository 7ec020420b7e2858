import { basename, dirname, join, resolve } from 'node:path';

import type { Diagnostic } from '@flowline/core';

import type { TestCase, TestFile } from '../spec/test-spec.js';
import { NodeReader } from './node-reader.js';
import { type YamlNode, parseYaml } from './positioned-yaml.js';
import { Problems } from './problems.js';
import { type CaseDefaults, readCase, readSetup } from './read-case.js';
import { readWorkspace } from './read-workspace.js';

const FILE_FIELDS = ['workflow', 'workspace', 'setup', 'cases'] as const;
const START = { line: 1, column: 1, endLine: 1, endColumn: 1 };
const TEST_SUFFIX = /\.test(\.ya?ml)$/;

export interface ReadResult {
  /**
   * What could be read, even when there are problems (a part with one is
   * left out), so the workflow checks can add theirs in the same pass.
   * Undefined when nothing could be: the YAML is broken, or there is no
   * workflow to test.
   */
  readonly testFile: TestFile | undefined;
  /** Every problem found, with its place. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The text of a test file → its cases and every problem found with its
 * place. Only the file's own shape is checked here; whether its step ids,
 * inputs and secrets fit the workflow is check-test-file's job.
 */
export function readTestFile(text: string, file: string): ReadResult {
  const problems = new Problems(file);
  const reader = new NodeReader(problems);
  const root = parseYaml(text, problems);
  const fields = root === undefined ? undefined : reader.fields(root, FILE_FIELDS, 'test file');
  if (root === undefined || fields === undefined) return { testFile: undefined, diagnostics: problems.items };
  const baseDir = dirname(resolve(file));
  const workflow = fields.get('workflow');
  const workflowName = workflow === undefined ? defaultWorkflow(file) : reader.string(workflow.value, 'workflow');
  if (workflowName === undefined && workflow === undefined) {
    const message =
      'name the workflow under test with workflow: (the default, FILE.test.yaml → FILE.yaml, needs that name)';
    problems.error('missing-field', message, root.at);
  }
  const workspaceNode = fields.get('workspace')?.value;
  const workspace =
    workspaceNode === undefined ? undefined : readWorkspace(workspaceNode, reader, baseDir, 'workspace');
  const cases = reader.require(fields, 'cases', 'a test file', root.at)
    ? readCases(fields.get('cases')!.value, reader, {
        workspace,
        baseDir,
        setup: readSetup(fields.get('setup')?.value, reader, 'setup'),
      })
    : [];
  if (workflowName === undefined) return { testFile: undefined, diagnostics: problems.items };
  return {
    diagnostics: problems.items,
    testFile: { file, workflowFile: join(dirname(file), workflowName), workflowAt: workflow?.value.at ?? START, cases },
  };
}

function readCases(node: YamlNode, reader: NodeReader, defaults: CaseDefaults): TestCase[] {
  const list = reader.seq(node, 'cases');
  if (list === undefined) return [];
  if (list.items.length === 0) reader.problems.error('no-cases', 'cases is empty; add at least one case', node.at);
  const cases: TestCase[] = [];
  for (const item of list.items) {
    const testCase = readCase(item, reader, defaults);
    if (testCase === undefined) continue;
    if (cases.some((other) => other.name === testCase.name)) {
      reader.problems.error(
        'duplicate-case',
        `another case is already named "${testCase.name}"; names must be unique`,
        testCase.at,
      );
    }
    cases.push(testCase);
  }
  return cases;
}

/** `fix.test.yaml` → `fix.yaml`; undefined for a file not named like a test file. */
function defaultWorkflow(file: string): string | undefined {
  const name = basename(file);
  return TEST_SUFFIX.test(name) ? name.replace(TEST_SUFFIX, '$1') : undefined;
}
