import type { SourceSpan } from '@flowline/core';
import { workspacePathProblem } from '@flowline/workflow';

import type { MockBody, OutcomeMock, StepMock } from '../spec/test-spec.js';
import type { Fields, NodeReader } from './node-reader.js';
import { type YamlEntry, type YamlNode, plainValue } from './positioned-yaml.js';
import { readTranscript } from './read-transcript.js';

const OUTCOME_FIELDS = ['outputs', 'exit_code', 'status', 'error', 'files'] as const;
const BODY_FIELDS = [...OUTCOME_FIELDS, 'transcript'] as const;
const MOCK_FIELDS = [...BODY_FIELDS, 'items'] as const;
const MOCK_STATUSES = ['succeeded', 'failed'] as const;

/** `mocks.<step>`: a stand-in for the step, and per-item ones under `items:`. */
export function readMock(entry: YamlEntry, reader: NodeReader): StepMock | undefined {
  const what = `mock of step "${entry.key}"`;
  const fields = reader.fields(entry.value, MOCK_FIELDS, what);
  if (fields === undefined) return undefined;
  const itemsEntry = fields.get('items');
  const hasBody = BODY_FIELDS.some((key) => fields.has(key)) || itemsEntry === undefined;
  const body = hasBody ? readBody(fields, entry.value.at, reader, what) : undefined;
  const items = itemsEntry === undefined ? [] : readItems(itemsEntry.value, reader, what);
  if ((hasBody && body === undefined) || items === undefined) return undefined;
  return { step: entry.key, at: entry.keyAt, body, items, itemsAt: itemsEntry?.keyAt };
}

function readItems(node: YamlNode, reader: NodeReader, what: string): MockBody[] | undefined {
  const list = reader.seq(node, `${what}: items`);
  if (list === undefined) return undefined;
  const bodies = list.items.map((item, index) => {
    const itemWhat = `${what}, item ${index}`;
    const fields = reader.fields(item, BODY_FIELDS, itemWhat);
    return fields === undefined ? undefined : readBody(fields, item.at, reader, itemWhat);
  });
  return bodies.every((body) => body !== undefined) ? bodies : undefined;
}

function readBody(fields: Fields, at: SourceSpan, reader: NodeReader, what: string): MockBody | undefined {
  const transcript = fields.get('transcript');
  if (transcript === undefined) return readOutcome(fields, at, reader, what);
  const others = OUTCOME_FIELDS.filter((key) => fields.has(key));
  if (others.length > 0) {
    const message = `${what}: a transcript runs the real agent, whose outcome is its own; drop ${others.join(', ')}`;
    reader.problems.error('conflicting-fields', message, fields.get(others[0]!)!.keyAt);
    return undefined;
  }
  const turns = readTranscript(transcript.value, reader, `${what}: transcript`);
  return turns === undefined ? undefined : { kind: 'transcript', turns, at: transcript.keyAt };
}

function readOutcome(fields: Fields, at: SourceSpan, reader: NodeReader, what: string): OutcomeMock | undefined {
  const before = reader.problems.count;
  const get = (key: string) => fields.get(key)?.value;
  const outputs = optional(get('outputs'), (node) => reader.map(node, `${what}: outputs`));
  const exitCode = optional(get('exit_code'), (node) => reader.integer(node, `${what}: exit_code`));
  const status = optional(get('status'), (node) =>
    reader.word(node, MOCK_STATUSES, `${what}: status`, 'unknown-status'),
  );
  const error = optional(get('error'), (node) => reader.string(node, `${what}: error`));
  const files = optional(get('files'), (node) => readFiles(node, reader, `${what}: files`)) ?? [];
  if (status === 'succeeded' && error !== undefined) {
    reader.problems.error(
      'conflicting-fields',
      `${what}: error describes a failure; it cannot have status succeeded`,
      fields.get('error')!.keyAt,
    );
  }
  if (reader.problems.count > before) return undefined;
  const plainOutputs = outputs === undefined ? {} : (plainValue(outputs) as Record<string, unknown>);
  return { kind: 'outcome', outputs: plainOutputs, exitCode, status, error, files, at };
}

function readFiles(node: YamlNode, reader: NodeReader, what: string): OutcomeMock['files'] | undefined {
  const map = reader.map(node, what);
  if (map === undefined) return undefined;
  const files: OutcomeMock['files'][number][] = [];
  for (const entry of map.entries) {
    const problem = workspacePathProblem(entry.key);
    if (problem !== undefined) reader.problems.error('bad-path', `${what}: "${entry.key}" ${problem}`, entry.keyAt);
    const content = reader.string(entry.value, `${what}: "${entry.key}"`);
    if (problem === undefined && content !== undefined) files.push({ path: entry.key, content, at: entry.keyAt });
  }
  return files;
}

function optional<T>(node: YamlNode | undefined, read: (node: YamlNode) => T | undefined): T | undefined {
  return node === undefined ? undefined : read(node);
}
