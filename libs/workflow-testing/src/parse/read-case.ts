import type { SetupScript, StepMock, TestCase, WorkspaceSpec } from '../spec/test-spec.js';
import type { NodeReader } from './node-reader.js';
import { type YamlNode, plainValue } from './positioned-yaml.js';
import { readExpect } from './read-expect.js';
import { readMock } from './read-mock.js';
import { readWorkspace } from './read-workspace.js';

const CASE_FIELDS = [
  'name',
  'description',
  'inputs',
  'secrets',
  'workspace',
  'warm_cache',
  'setup',
  'mocks',
  'expect',
] as const;

/** What a case inherits from its file. */
export interface CaseDefaults {
  readonly workspace: WorkspaceSpec | undefined;
  readonly baseDir: string;
  readonly setup: readonly SetupScript[];
}

/** One entry of `cases:`; undefined when it cannot be read at all (its problems are reported). */
export function readCase(node: YamlNode, reader: NodeReader, defaults: CaseDefaults): TestCase | undefined {
  const fields = reader.fields(node, CASE_FIELDS, 'case');
  if (fields === undefined || !reader.require(fields, 'name', 'a case', node.at)) return undefined;
  const nameEntry = fields.get('name')!;
  const name = reader.string(nameEntry.value, 'case name');
  if (name === undefined) return undefined;
  const what = `case "${name}"`;
  const get = (key: string) => fields.get(key)?.value;
  const inputs = get('inputs');
  const workspace = get('workspace');
  const warmCache = get('warm_cache');
  return {
    name,
    at: nameEntry.keyAt,
    inputs: inputs === undefined ? {} : readMapping(inputs, reader, `${what}: inputs`),
    inputsAt: inputs?.at ?? nameEntry.keyAt,
    secrets: readSecrets(get('secrets'), reader, `${what}: secrets`),
    secretsAt: get('secrets')?.at ?? nameEntry.keyAt,
    workspace:
      workspace === undefined
        ? defaults.workspace
        : readWorkspace(workspace, reader, defaults.baseDir, `${what}: workspace`),
    warmCache: (warmCache === undefined ? undefined : reader.boolean(warmCache, `${what}: warm_cache`)) ?? false,
    setup: [...defaults.setup, ...readSetup(get('setup'), reader, `${what}: setup`)],
    mocks: readMocks(get('mocks'), reader, `${what}: mocks`),
    expect: readExpect(get('expect'), reader),
  };
}

/** A `setup:` script; none when absent or unreadable (the problem is reported). */
export function readSetup(node: YamlNode | undefined, reader: NodeReader, what: string): SetupScript[] {
  const script = node === undefined ? undefined : reader.string(node, what);
  return script === undefined ? [] : [{ script, at: node!.at }];
}

function readMapping(node: YamlNode, reader: NodeReader, what: string): Record<string, unknown> {
  const map = reader.map(node, what);
  return map === undefined ? {} : (plainValue(map) as Record<string, unknown>);
}

function readSecrets(node: YamlNode | undefined, reader: NodeReader, what: string): Record<string, string> {
  const map = node === undefined ? undefined : reader.map(node, what);
  const secrets: Record<string, string> = {};
  for (const entry of map?.entries ?? []) {
    const value = reader.string(entry.value, `${what}.${entry.key}`);
    if (value !== undefined) secrets[entry.key] = value;
  }
  return secrets;
}

function readMocks(node: YamlNode | undefined, reader: NodeReader, what: string): Map<string, StepMock> {
  const map = node === undefined ? undefined : reader.map(node, what);
  const mocks = new Map<string, StepMock>();
  for (const entry of map?.entries ?? []) {
    const mock = readMock(entry, reader);
    if (mock !== undefined) mocks.set(mock.step, mock);
  }
  return mocks;
}
