import { assertNever } from '@flowline/core';
import type { Document, YAMLError } from 'yaml';

import type { DiagnosticSink } from '../diagnostics.js';
import { overLimit } from '../util/describe.js';
import { type FastParseError, parseFast } from './fast-yaml.js';
import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from './source-limits.js';
import { SourcePositions } from './source-positions.js';
import { type LimitViolation, checkValueLimits } from './value-limits.js';
import { isAlias, isScalar, visit, visitBreak } from './yaml-package.js';

/** A workflow file parsed into a plain value, with the means to point back into its text. */
export interface ParsedSource {
  readonly value: Record<string, unknown>;
  readonly positions: SourcePositions;
}

const START = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * YAML text → plain value, or diagnostics that say where and why not. Checks,
 * in order: size; YAML syntax (one document, unique keys, known tags and
 * anchors); alias expansion and depth; a mapping at the top.
 *
 * The value comes from the fast parser. When it refuses the text, the
 * `yaml` package parses it again to say precisely where and why: it is the
 * authority on messages, the fast parser only on speed.
 */
export function parseSource(
  text: string,
  sink: DiagnosticSink,
  limits: SourceLimits = DEFAULT_SOURCE_LIMITS,
): ParsedSource | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    sink.error('file-too-large', `workflow file ${overLimit(bytes, limits.maxBytes)}`, START);
    return undefined;
  }
  const positions = new SourcePositions(text);
  const fast = parseFast(text);
  if (!fast.ok) {
    reportSyntax(fast.error, text, positions, sink);
    return undefined;
  }
  const violation = checkValueLimits(fast.value, limits);
  if (violation !== undefined) {
    const message = limitMessage(violation, limits, positions.aliasAt(violation.path));
    sink.error(violation.code, message, positions.valueSpan(violation.path), { path: violation.path });
    return undefined;
  }
  if (fast.value === null || fast.value === undefined) {
    sink.error('yaml-empty', 'the file is empty; a workflow needs at least `name` and `steps`', START);
    return undefined;
  }
  if (typeof fast.value !== 'object' || Array.isArray(fast.value)) {
    sink.error(
      'yaml-root-not-mapping',
      `the top level must be a mapping (name:, steps:, …), found ${Array.isArray(fast.value) ? 'a sequence' : `${typeof fast.value} ${JSON.stringify(fast.value).slice(0, 40)}`}`,
      positions.valueSpan([]),
    );
    return undefined;
  }
  return { value: fast.value as Record<string, unknown>, positions };
}

function limitMessage(violation: LimitViolation, limits: SourceLimits, alias: string | undefined): string {
  const named = alias === undefined ? 'an alias' : `alias *${alias}`;
  switch (violation.code) {
    case 'yaml-too-deep':
      return `nesting is deeper than ${limits.maxDepth} levels`;
    case 'yaml-recursive-alias':
      return `${named} refers to a node that contains it`;
    case 'yaml-alias-limit':
      return `YAML aliases expand to more than ${limits.maxAliasExpansion} nodes; a file that grows like this is a resource-exhaustion ("billion laughs") attack`;
    default:
      return assertNever(violation.code, 'limit');
  }
}

/** Reports why the text is not valid YAML, in the `yaml` package's words and places. */
function reportSyntax(fastError: FastParseError, text: string, positions: SourcePositions, sink: DiagnosticSink): void {
  const doc = positions.document;
  // After a syntax error the parser's later complaints are mostly echoes of it
  // (one bad indent gave four errors, the last on a line that was fine): report
  // the first, in order of position, and say how many followed.
  const [first, ...rest] = [...doc.errors, ...doc.warnings].sort((a, b) => a.pos[0] - b.pos[0]);
  if (first !== undefined) {
    const more =
      rest.length === 0
        ? ''
        : ` (then ${rest.length} more YAML error${rest.length === 1 ? '' : 's'}, likely caused by this one)`;
    const message = `${yamlMessage(first, doc, text, positions)}${more}`;
    sink.error(yamlCode(first), message, positions.spanOfOffsets(first.pos[0], first.pos[1]));
    return;
  }
  if (reportUnknownAliases(doc, positions, sink)) return;
  // The two parsers disagree about this text: say what the fast one found.
  const at = { line: fastError.line, column: fastError.column, endLine: fastError.line, endColumn: fastError.column };
  sink.error('yaml-syntax', lowerFirst(fastError.message), at);
}

function reportUnknownAliases(doc: Document, positions: SourcePositions, sink: DiagnosticSink): boolean {
  let found = false;
  visit(doc, {
    Alias(_, alias) {
      if (!isAlias(alias) || alias.resolve(doc) !== undefined || !alias.range) return;
      found = true;
      sink.error(
        'yaml-unknown-alias',
        `alias *${alias.source} has no anchor &${alias.source} before it`,
        positions.spanOfOffsets(alias.range[0], alias.range[1]),
      );
    },
  });
  return found;
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
      return `YAML tag ${text.slice(problem.pos[0], problem.pos[1]).split(/\s/)[0] ?? ''} cannot be used here; workflows use plain YAML values`;
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
          return visitBreak();
        }
        if (first === undefined) seen.set(key, pair.key.range[0]);
      }
      return undefined;
    },
  });
  return message;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
