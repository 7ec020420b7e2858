import type { ScriptedBlock } from '@flowline/executors';

import type { NodeReader } from './node-reader.js';
import { type YamlNode, plainValue } from './positioned-yaml.js';

const BLOCK_KINDS = ['text', 'tool_use'] as const;
const TOOL_USE_FIELDS = ['name', 'input', 'id'] as const;

/**
 * `transcript:` — the model's replies, one per model call: each a list of
 * blocks or a single block, a block being `text: …` or
 * `tool_use: { name, input, id? }`. Undefined when anything is malformed.
 */
export function readTranscript(node: YamlNode, reader: NodeReader, what: string): ScriptedBlock[][] | undefined {
  const turns = reader.seq(node, what);
  if (turns === undefined) return undefined;
  if (turns.items.length === 0) {
    reader.problems.error('empty-transcript', `${what} needs at least one turn`, node.at);
    return undefined;
  }
  const read = turns.items.map((turn, index) => readTurn(turn, reader, `${what} turn ${index + 1}`));
  return read.every((turn) => turn !== undefined) ? read : undefined;
}

function readTurn(node: YamlNode, reader: NodeReader, what: string): ScriptedBlock[] | undefined {
  const blocks = node.kind === 'seq' ? node.items : [node];
  if (blocks.length === 0) {
    reader.problems.error('empty-transcript', `${what} has no blocks`, node.at);
    return undefined;
  }
  const read = blocks.map((block) => readBlock(block, reader, what));
  return read.every((block) => block !== undefined) ? read : undefined;
}

function readBlock(node: YamlNode, reader: NodeReader, what: string): ScriptedBlock | undefined {
  const fields = reader.fields(node, BLOCK_KINDS, `${what} block`);
  if (fields === undefined) return undefined;
  if (fields.size !== 1) {
    reader.problems.error('bad-transcript', `${what}: a block is either text: … or tool_use: { … }`, node.at);
    return undefined;
  }
  const text = fields.get('text');
  if (text !== undefined) {
    const value = reader.string(text.value, `${what} text`);
    return value === undefined ? undefined : { type: 'text', text: value };
  }
  const toolUse = fields.get('tool_use');
  return toolUse === undefined ? undefined : readToolUse(toolUse.value, reader, `${what} tool_use`);
}

function readToolUse(node: YamlNode, reader: NodeReader, what: string): ScriptedBlock | undefined {
  const fields = reader.fields(node, TOOL_USE_FIELDS, what);
  if (fields === undefined || !reader.require(fields, 'name', what, node.at)) return undefined;
  const name = reader.string(fields.get('name')!.value, `${what} name`);
  const inputNode = fields.get('input')?.value;
  const input =
    inputNode === undefined
      ? { kind: 'map' as const, entries: [], at: node.at }
      : reader.map(inputNode, `${what} input`);
  const idNode = fields.get('id')?.value;
  const id = idNode === undefined ? undefined : reader.string(idNode, `${what} id`);
  if (name === undefined || input === undefined || (idNode !== undefined && id === undefined)) return undefined;
  const block = { type: 'tool_use' as const, name, input: plainValue(input) as Record<string, unknown> };
  return id === undefined ? block : { ...block, id };
}
