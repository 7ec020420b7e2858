import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { SecretMasker, SourceSpan } from '@flowline/core';
import type { RunState } from '@flowline/engine';
import type { RunRecord } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';

import type { Expectations, FileExpectation, StepExpectation, ValueExpectation } from '../spec/test-spec.js';
import { clip, describeChecks, showValue } from './describe.js';
import { failedChecks } from './evaluate-matcher.js';
import { stepFacts } from './step-facts.js';

/** One expectation that did not hold (or a problem with the case itself), at its place in the test file. */
export interface Failure {
  readonly at: SourceSpan;
  /** What was checked, or what went wrong: `step "fix" status`, `output "summary"`, `file src/a.ts`. */
  readonly what: string;
  readonly expected?: string;
  readonly actual?: string;
}

/** What a finished case's run left behind. */
export interface RunFacts {
  readonly workflow: CompiledWorkflow;
  readonly record: RunRecord;
  readonly state: RunState;
  readonly workspace: string;
  /** The case's secret values: file contents are shown masked, as outputs already are. */
  readonly masker: SecretMasker;
}

/** Every expectation that fails, in the order the test file lists them — not just the first. */
export async function checkExpectations(expect: Expectations, facts: RunFacts): Promise<Failure[]> {
  const failures: Failure[] = [];
  if (expect.status !== undefined && expect.status.value !== facts.record.status) {
    const error = facts.record.error === undefined ? '' : ` (${facts.record.error.message})`;
    failures.push({
      at: expect.status.at,
      what: 'run status',
      expected: expect.status.value,
      actual: `${facts.record.status}${error}`,
    });
  }
  for (const step of expect.steps) failures.push(...checkStep(step, facts));
  const outputs = facts.record.outputs ?? {};
  for (const output of expect.outputs) failures.push(...checkValue(output, outputs, `run output "${output.path}"`));
  for (const file of expect.files) failures.push(...(await checkFile(file, facts)));
  return failures;
}

function checkStep(expected: StepExpectation, facts: RunFacts): Failure[] {
  const name = expected.item === undefined ? expected.step : `${expected.step}[${expected.item}]`;
  const found = stepFacts(facts.workflow, facts.state, expected.step, expected.item);
  if (typeof found === 'string')
    return [{ at: expected.at, what: `step ${name}`, expected: 'to have run', actual: found }];
  const failures: Failure[] = [];
  const status = expected.status;
  if (status !== undefined && status.value !== found.status) {
    failures.push({ at: status.at, what: `step ${name} status`, expected: status.value, actual: found.shown });
  }
  for (const output of expected.outputs) {
    failures.push(...checkValue(output, found.outputs, `step ${name} output "${output.path}"`));
  }
  return failures;
}

function checkValue(expected: ValueExpectation, values: Readonly<Record<string, unknown>>, what: string): Failure[] {
  const actual = valueAt(values, expected.path);
  const failed = failedChecks(expected.matcher, actual);
  return failed.length === 0
    ? []
    : [{ at: expected.at, what, expected: describeChecks(failed), actual: showValue(actual) }];
}

async function checkFile(expected: FileExpectation, facts: RunFacts): Promise<Failure[]> {
  const content = await fileContent(join(facts.workspace, expected.path));
  const failed = failedChecks(expected.matcher, content);
  if (failed.length === 0) return [];
  const actual = content === undefined ? 'missing' : clip(JSON.stringify(facts.masker.text(content)));
  return [{ at: expected.at, what: `file ${expected.path}`, expected: describeChecks(failed), actual }];
}

/** A file's text; a directory counts as present with no text; undefined when nothing is there. */
async function fileContent(path: string): Promise<string | undefined> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return undefined;
  return info.isDirectory() ? '' : readFile(path, 'utf8');
}

/** `total.lines.pct` reads nested values (list items by index); a key that itself holds dots wins. */
function valueAt(values: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(values, path)) return values[path];
  let value: unknown = values;
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
