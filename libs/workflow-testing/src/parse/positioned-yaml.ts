import { type SourceSpan, assertNever } from '@flowline/core';
import { type Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';

import type { Problems } from './problems.js';

/**
 * A test file's YAML as plain nodes that remember where they were written.
 * Anchors and aliases are resolved, and `<<: *anchor` merges a mapping in
 * (keys written beside it win), so cases can share mocks.
 */
export type YamlNode = YamlMap | YamlSeq | YamlScalar;

export interface YamlEntry {
  readonly key: string;
  readonly keyAt: SourceSpan;
  readonly value: YamlNode;
}

export interface YamlMap {
  readonly kind: 'map';
  readonly entries: readonly YamlEntry[];
  readonly at: SourceSpan;
}

export interface YamlSeq {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
  readonly at: SourceSpan;
}

export interface YamlScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly at: SourceSpan;
}

const MERGE_KEY = '<<';
/** Aliases may nest; a document that resolves deeper than this is refused rather than followed forever. */
const MAX_DEPTH = 64;
const START: SourceSpan = { line: 1, column: 1, endLine: 1, endColumn: 1 };

interface Converter {
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly problems: Problems;
}

/** Parses `text`; undefined (with the first YAML error reported) when it is not one valid document. */
export function parseYaml(text: string, problems: Problems): YamlNode | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const [first, ...rest] = [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0]);
  if (first !== undefined) {
    // Errors after the first are mostly its echoes: say how many, not each.
    const more = rest.length === 0 ? '' : ` (then ${rest.length} more YAML errors, likely caused by this one)`;
    problems.error('yaml-syntax', `${first.message.split('\n')[0]}${more}`, spanOf(lines, first.pos));
    return undefined;
  }
  if (doc.contents === null) {
    problems.error('yaml-empty', 'the test file is empty; it needs at least `cases:`', START);
    return undefined;
  }
  return convert(doc.contents, { doc, lines, problems }, START, 0);
}

function convert(node: unknown, c: Converter, fallback: SourceSpan, depth: number): YamlNode {
  if (depth > MAX_DEPTH) {
    c.problems.error('yaml-too-deep', `nesting (through aliases) is deeper than ${MAX_DEPTH} levels`, fallback);
    return { kind: 'scalar', value: null, at: fallback };
  }
  if (isAlias(node)) return convert(node.resolve(c.doc), c, spanOf(c.lines, node.range), depth + 1);
  if (isMap(node)) return { kind: 'map', entries: entriesOf(node.items, c, depth), at: spanOf(c.lines, node.range) };
  if (isSeq(node)) {
    const items = node.items.map((item) => convert(item, c, spanOf(c.lines, node.range), depth + 1));
    return { kind: 'seq', items, at: spanOf(c.lines, node.range) };
  }
  if (isScalar(node)) return { kind: 'scalar', value: scalarValue(node.value), at: spanOf(c.lines, node.range) };
  // A key written without a value (`secrets:`): null, placed where the key is.
  return { kind: 'scalar', value: null, at: fallback };
}

function entriesOf(pairs: readonly { key: unknown; value: unknown }[], c: Converter, depth: number): YamlEntry[] {
  const entries: YamlEntry[] = [];
  const merged: YamlEntry[] = [];
  for (const pair of pairs) {
    const keyAt = isScalar(pair.key) ? spanOf(c.lines, pair.key.range) : START;
    const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
    const value = convert(pair.value, c, keyAt, depth + 1);
    if (key === MERGE_KEY) merged.push(...mergedEntries(value));
    else entries.push({ key, keyAt, value });
  }
  const written = new Set(entries.map((entry) => entry.key));
  return [...entries, ...merged.filter((entry) => !written.has(entry.key))];
}

/** `<<: *a` or `<<: [*a, *b]`: the mappings' entries, the first mapping winning. */
function mergedEntries(value: YamlNode): YamlEntry[] {
  const maps = value.kind === 'seq' ? value.items : [value];
  const seen = new Set<string>();
  const out: YamlEntry[] = [];
  for (const map of maps) {
    if (map.kind !== 'map') continue;
    for (const entry of map.entries.filter((e) => !seen.has(e.key))) {
      out.push(entry);
      seen.add(entry.key);
    }
  }
  return out;
}

function scalarValue(value: unknown): YamlScalar['value'] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  // A bigint (an integer too large for a number) keeps its digits; other tagged values their JSON.
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

function spanOf(lines: LineCounter, range: readonly number[] | null | undefined): SourceSpan {
  if (range === null || range === undefined) return START;
  const from = lines.linePos(range[0]!);
  const to = lines.linePos(range[1] ?? range[0]!);
  return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}

/** The node as a plain JavaScript value (mappings become objects, in order). */
export function plainValue(node: YamlNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(plainValue);
    case 'map':
      return Object.fromEntries(node.entries.map((entry) => [entry.key, plainValue(entry.value)]));
    default:
      return assertNever(node, 'YAML node');
  }
}
