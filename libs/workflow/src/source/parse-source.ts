import { formatBytes } from '@flowline/core';
import { type Document, LineCounter, type YAMLError, isMap, isScalar, parseDocument, visit } from 'yaml';

import type { DiagnosticSink } from '../diagnostics.js';
import { SourcePositions } from './source-positions.js';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits, checkYamlLimits } from './yaml-limits.js';

/** A workflow file parsed into a plain value, with the means to point back into its text. */
export interface ParsedSource {
  readonly value: Record<string, unknown>;
  readonly positions: SourcePositions;
}

/**
 * YAML text → plain value, or diagnostics that say where and why not. Checks,
 * in order: size, YAML syntax (one document, unique keys, known tags), alias
 * expansion and depth, and that the root is a mapping.
 */
export function parseSource(
  text: string,
  sink: DiagnosticSink,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): ParsedSource | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    sink.error(
      'file-too-large',
      `file is ${formatBytes(bytes)}; workflow files are limited to ${formatBytes(limits.maxBytes)}`,
      START,
    );
    return undefined;
  }
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: `yes`/`on` stay strings. Merge keys (`<<: *x`) are
  // allowed because sharing blocks through anchors is what people use them for.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const positions = new SourcePositions(doc, lineCounter, text);
  if (reportYamlErrors(doc, text, positions, sink)) return undefined;

  const violation = checkYamlLimits(doc, limits);
  if (violation !== undefined) {
    const range = violation.node.range;
    sink.error(violation.code, violation.message, range ? positions.spanOfOffsets(range[0], range[1]) : START);
    return undefined;
  }
  // Our own pass above bounded alias expansion precisely; yaml's built-in
  // counter would refuse a legitimate anchor reused by thousands of steps.
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  if (value === null || value === undefined) {
    sink.error('yaml-empty', 'the file is empty; a workflow needs at least `name` and `steps`', START);
    return undefined;
  }
  if (!isMap(doc.contents)) {
    sink.error(
      'yaml-root-not-mapping',
      `the top level must be a mapping (name:, steps:, …), found ${describeValue(value)}`,
      positions.valueSpan([]),
    );
    return undefined;
  }
  return { value: value as Record<string, unknown>, positions };
}

const START = { line: 1, column: 1, endLine: 1, endColumn: 1 };

function reportYamlErrors(doc: Document, text: string, positions: SourcePositions, sink: DiagnosticSink): boolean {
  // A stack overflow inside the parser repeats once per open level; one line says it.
  const problems = [...doc.errors, ...doc.warnings].filter(
    (e, i, all) => e.code !== 'RESOURCE_EXHAUSTION' || all.findIndex((x) => x.code === e.code) === i,
  );
  for (const problem of problems) {
    const [start, end] = problem.pos;
    sink.error(yamlCode(problem), yamlMessage(problem, doc, text, positions), positions.spanOfOffsets(start, end));
  }
  return problems.length > 0;
}

function yamlCode(problem: YAMLError): string {
  switch (problem.code) {
    case 'DUPLICATE_KEY':
      return 'yaml-duplicate-key';
    case 'MULTIPLE_DOCS':
      return 'yaml-multiple-documents';
    case 'RESOURCE_EXHAUSTION':
      return 'yaml-too-deep';
    case 'TAG_RESOLVE_FAILED':
      return 'yaml-unknown-tag';
    default:
      return 'yaml-syntax';
  }
}

function yamlMessage(problem: YAMLError, doc: Document, text: string, positions: SourcePositions): string {
  switch (problem.code) {
    case 'DUPLICATE_KEY':
      return duplicateKeyMessage(doc, problem.pos[0], positions) ?? 'duplicate key';
    case 'MULTIPLE_DOCS':
      return 'a workflow file holds one YAML document; a second one starts here';
    case 'RESOURCE_EXHAUSTION':
      return 'nesting is too deep to parse';
    case 'TAG_RESOLVE_FAILED':
      return `unknown YAML tag ${text.slice(problem.pos[0], problem.pos[1]).split(/\s/)[0] ?? ''}; workflows use plain YAML values`;
    default:
      return lowerFirst(problem.message.replace(/\s+/g, ' ').trim());
  }
}

/** `duplicate key "name" (first at line 2)`: find the map whose second copy of a key starts at `offset`. */
function duplicateKeyMessage(doc: Document, offset: number, positions: SourcePositions): string | undefined {
  let message: string | undefined;
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const key = String(pair.key.value);
        const first = seen.get(key);
        if (first !== undefined && pair.key.range[0] === offset) {
          message = `duplicate key "${key}" (first at line ${positions.spanOfOffsets(first, first).line})`;
          return visit.BREAK;
        }
        if (first === undefined) seen.set(key, pair.key.range[0]);
      }
      return undefined;
    },
  });
  return message;
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  return `a ${typeof value} (${JSON.stringify(value).slice(0, 40)})`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
