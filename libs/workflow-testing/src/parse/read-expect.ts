import { workspacePathProblem } from '@flowline/workflow';

import {
  EXPECTED_RUN_STATUSES,
  EXPECTED_STEP_STATUSES,
  type Expectations,
  type FileExpectation,
  type StepExpectation,
  type ValueExpectation,
} from '../spec/test-spec.js';
import type { NodeReader } from './node-reader.js';
import type { YamlEntry, YamlNode } from './positioned-yaml.js';
import { FILE_CHECK_OPS, readMatcher } from './read-matcher.js';

const EXPECT_FIELDS = ['status', 'steps', 'outputs', 'files'] as const;
const STEP_FIELDS = ['status', 'outputs'] as const;
/** `fix` or `fix[2]`: a step id, and an item index for one item of a `for_each` step. */
const STEP_KEY = /^([a-z][a-z0-9_-]*)(?:\[(\d+)\])?$/;

const NOTHING: Expectations = { status: undefined, steps: [], outputs: [], files: [] };

/** `expect:` — the run's status, steps, outputs and the workspace's files afterwards. */
export function readExpect(node: YamlNode | undefined, reader: NodeReader): Expectations {
  if (node === undefined) return NOTHING;
  const fields = reader.fields(node, EXPECT_FIELDS, 'expect');
  if (fields === undefined) return NOTHING;
  const status = fields.get('status');
  const runStatus =
    status === undefined
      ? undefined
      : reader.word(status.value, EXPECTED_RUN_STATUSES, 'expect.status', 'unknown-status');
  return {
    status: runStatus === undefined ? undefined : { value: runStatus, at: status!.value.at },
    steps: entriesOf(fields.get('steps'), reader, 'expect.steps').flatMap((e) => readStep(e, reader) ?? []),
    outputs: readValues(fields.get('outputs'), reader, 'expect.outputs'),
    files: entriesOf(fields.get('files'), reader, 'expect.files').flatMap((e) => readFile(e, reader) ?? []),
  };
}

function readStep(entry: YamlEntry, reader: NodeReader): StepExpectation | undefined {
  const what = `expect.steps.${entry.key}`;
  const key = STEP_KEY.exec(entry.key);
  if (key === null) {
    reader.problems.error('bad-step-key', `${what}: name a step by its id, or one item as id[N]`, entry.keyAt);
    return undefined;
  }
  const base = { step: key[1]!, item: key[2] === undefined ? undefined : Number(key[2]), at: entry.keyAt };
  if (entry.value.kind === 'scalar') return { ...base, status: readStatus(entry.value, reader, what), outputs: [] };
  const fields = reader.fields(entry.value, STEP_FIELDS, what);
  if (fields === undefined) return undefined;
  const status = fields.get('status');
  const outputs = readValues(fields.get('outputs'), reader, `${what}.outputs`);
  return { ...base, status: status === undefined ? undefined : readStatus(status.value, reader, what), outputs };
}

function readStatus(node: YamlNode, reader: NodeReader, what: string): StepExpectation['status'] {
  const value = reader.word(node, EXPECTED_STEP_STATUSES, `${what} status`, 'unknown-status');
  return value === undefined ? undefined : { value, at: node.at };
}

function readValues(entry: YamlEntry | undefined, reader: NodeReader, what: string): ValueExpectation[] {
  return entriesOf(entry, reader, what).flatMap((e) => {
    const matcher = readMatcher(e.value, reader, `${what}.${e.key}`);
    return matcher === undefined ? [] : [{ path: e.key, matcher, at: e.keyAt }];
  });
}

function readFile(entry: YamlEntry, reader: NodeReader): FileExpectation | undefined {
  const what = `expect.files."${entry.key}"`;
  const problem = workspacePathProblem(entry.key);
  if (problem !== undefined) {
    reader.problems.error('bad-path', `${what}: the path ${problem}; paths are relative to the workspace`, entry.keyAt);
    return undefined;
  }
  const matcher = readMatcher(entry.value, reader, what, FILE_CHECK_OPS);
  return matcher === undefined ? undefined : { path: entry.key, matcher, at: entry.keyAt };
}

function entriesOf(entry: YamlEntry | undefined, reader: NodeReader, what: string): readonly YamlEntry[] {
  if (entry === undefined) return [];
  return reader.map(entry.value, what)?.entries ?? [];
}
