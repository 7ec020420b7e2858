import { type Diagnostic, type SourceSpan, ValidationError, errorMessage } from '@flowline/core';
import { resolveInputs } from '@flowline/engine';
import { type CompiledStep, type CompiledWorkflow, didYouMean } from '@flowline/workflow';

import { Problems } from '../parse/problems.js';
import type { MockBody, StepMock, TestCase, TestFile } from '../spec/test-spec.js';

/** Step types whose executor changes files, so a mock of one may write `files`. */
const WRITES_FILES: ReadonlySet<string> = new Set(['shell', 'claude_code', 'template']);

/**
 * Whether each case fits the workflow under test: the steps it mocks and
 * expects exist and can be mocked that way, its outputs are the workflow's,
 * its inputs are accepted, and its secrets are declared. Every misfit is an
 * error at its place in the test file.
 */
export function checkTestFile(testFile: TestFile, workflow: CompiledWorkflow): readonly Diagnostic[] {
  const problems = new Problems(testFile.file);
  for (const testCase of testFile.cases) checkCase(testCase, workflow, problems);
  return problems.items;
}

function checkCase(testCase: TestCase, workflow: CompiledWorkflow, problems: Problems): void {
  for (const mock of testCase.mocks.values()) checkMock(mock, workflow, problems);
  for (const expected of testCase.expect.steps) {
    const step = knownStep(expected.step, expected.at, workflow, problems);
    if (step !== undefined && expected.item !== undefined) checkItem(step, expected.item, expected.at, problems);
  }
  const outputs = Object.keys(workflow.outputs);
  for (const expected of testCase.expect.outputs) {
    const name = expected.path.split('.')[0]!;
    if (outputs.includes(name)) continue;
    const known = outputs.length === 0 ? 'it has none' : `it has ${outputs.join(', ')}`;
    const message = `the workflow has no output "${name}"${didYouMean(name, outputs)}; ${known}`;
    problems.error('unknown-output', message, expected.at);
  }
  checkInputs(testCase, workflow, problems);
  checkSecrets(testCase, workflow, problems);
}

function checkMock(mock: StepMock, workflow: CompiledWorkflow, problems: Problems): void {
  const step = knownStep(mock.step, mock.at, workflow, problems);
  if (step === undefined) return;
  if (step.type === 'conditional') {
    const message = `step "${step.id}" is a conditional, decided by the scheduler from its condition; mock the steps its condition reads instead`;
    problems.error('not-mockable', message, mock.at);
    return;
  }
  if (mock.itemsAt !== undefined && mock.items.length > 0) {
    if (step.forEach === undefined) {
      problems.error(
        'items-without-for-each',
        `step "${step.id}" has no for_each; mock it without items:`,
        mock.itemsAt,
      );
    } else if (step.forEach.kind === 'list' && mock.items.length > step.forEach.items.length) {
      const message = `step "${step.id}" has ${step.forEach.items.length} items, but ${mock.items.length} are mocked`;
      problems.error('item-out-of-range', message, mock.itemsAt);
    }
  }
  for (const body of [mock.body, ...mock.items]) if (body !== undefined) checkBody(body, step, problems);
}

function checkBody(body: MockBody, step: CompiledStep, problems: Problems): void {
  if (body.kind === 'transcript' && step.type !== 'claude_code') {
    const message = `step "${step.id}" is a ${step.type} step; a transcript replays a claude_code agent's model — mock this step with outputs, status, exit_code or error`;
    problems.error('transcript-not-agent', message, body.at);
  }
  if (body.kind === 'outcome' && body.files.length > 0 && !WRITES_FILES.has(step.type)) {
    const message = `step "${step.id}" is a ${step.type} step, which changes no files; only shell, claude_code and template mocks may write files`;
    problems.error('files-not-allowed', message, body.files[0]!.at);
  }
}

function checkItem(step: CompiledStep, item: number, at: SourceSpan, problems: Problems): void {
  if (step.forEach === undefined) {
    problems.error('items-without-for-each', `step "${step.id}" has no for_each, so no item ${item}`, at);
  } else if (step.forEach.kind === 'list' && item >= step.forEach.items.length) {
    problems.error(
      'item-out-of-range',
      `step "${step.id}" has ${step.forEach.items.length} items; no item ${item}`,
      at,
    );
  }
}

function knownStep(
  id: string,
  at: SourceSpan,
  workflow: CompiledWorkflow,
  problems: Problems,
): CompiledStep | undefined {
  const step = workflow.steps.get(id);
  if (step === undefined) {
    const message = `workflow "${workflow.name}" has no step "${id}"${didYouMean(id, workflow.steps.keys())}`;
    problems.error('unknown-step', message, at);
  }
  return step;
}

/** The engine's own check of a run's inputs, so a case is refused here exactly when a run would be. */
function checkInputs(testCase: TestCase, workflow: CompiledWorkflow, problems: Problems): void {
  try {
    resolveInputs(workflow, testCase.inputs);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const message = errorMessage(error).replace(`${workflow.name}: `, '');
    problems.error('invalid-inputs', `case "${testCase.name}": ${message}`, testCase.inputsAt);
  }
}

function checkSecrets(testCase: TestCase, workflow: CompiledWorkflow, problems: Problems): void {
  for (const name of Object.keys(testCase.secrets)) {
    if (workflow.secrets.includes(name)) continue;
    const declared = workflow.secrets.length === 0 ? 'it declares none' : `it declares ${workflow.secrets.join(', ')}`;
    const message = `the workflow declares no secret "${name}"${didYouMean(name, workflow.secrets)}; ${declared}`;
    problems.error('unknown-secret', message, testCase.secretsAt);
  }
}
