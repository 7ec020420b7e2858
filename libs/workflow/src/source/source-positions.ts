import type { SourceSpan } from '@flowline/core';
import type { Document, LineCounter, Node, Pair, Scalar } from 'yaml';

import { isAlias, isMap, isScalar, isSeq, yamlPackage } from './yaml-package.js';

/** A path into the workflow value, as JSON Schema and the validator see it. */
export type ValuePath = readonly (string | number)[];

/** Options of the positioned parse; parse-source.ts reports its errors. */
export const YAML_OPTIONS = { prettyErrors: false, merge: true, uniqueKeys: true } as const;

const MERGE_KEY = '<<';
const START: SourceSpan = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * Maps paths in the parsed value back to places in the YAML text. The
 * position-carrying `yaml` document is built on the first lookup, so a valid
 * workflow, which needs no places, never pays for it.
 */
export class SourcePositions {
  private parsed: { readonly doc: Document; readonly lineCounter: LineCounter } | undefined;

  constructor(private readonly text: string) {}

  /** The `yaml` document with source ranges, built now if it was not yet. */
  get document(): Document {
    return this.positioned().doc;
  }

  /** The span of the value at `path`, or of its nearest existing ancestor. */
  valueSpan(path: ValuePath): SourceSpan {
    const found = this.find(path);
    // A key written without a value (`{ repo }`) has no value node: point at the key.
    const keyRange = (found.pair?.key as Node | undefined)?.range;
    return this.spanOfRange(found.node?.range ?? keyRange ?? this.document.range);
  }

  /** Source offsets `[start, end)` of the value at `path`, or undefined when the path is not in the text. */
  valueOffsets(path: ValuePath): readonly [number, number] | undefined {
    const found = this.find(path);
    const range = found.complete ? found.node?.range : undefined;
    return range ? [range[0], range[1]] : undefined;
  }

  /** The span of the key holding `path`'s last segment (for "unknown field" errors). */
  keySpan(path: ValuePath): SourceSpan {
    const found = this.find(path);
    const key = found.pair?.key as Node | undefined;
    if (found.complete && key?.range) return this.spanOfRange(key.range);
    return this.valueSpan(path);
  }

  /** The anchor name when the value at `path` is written as an alias (`*name`). */
  aliasAt(path: ValuePath): string | undefined {
    const found = this.find(path);
    return found.complete && isAlias(found.node) ? found.node.source : undefined;
  }

  /** The span of a source offset range. */
  spanOfOffsets(start: number, end: number): SourceSpan {
    const lineCounter = this.positioned().lineCounter;
    const from = lineCounter.linePos(start);
    const to = lineCounter.linePos(Math.max(start, end));
    return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  }

  /**
   * The span of a place inside the template at `path` (line 1-based, column
   * 0-based within the template text). Exact for single-line plain or quoted
   * scalars whose text appears verbatim, and for literal block scalars (`|`);
   * otherwise the scalar's start, which is still the right line to look at.
   */
  templateSpan(path: ValuePath, template: string, place: { line: number; column: number }): SourceSpan {
    const found = this.find(path);
    const scalar = found.complete ? this.resolve(found.node) : null;
    if (!isScalar(scalar) || !scalar.range) return this.valueSpan(path);
    const keyStart = (found.pair?.key as Node | undefined)?.range?.[0];
    const parentIndent = keyStart === undefined ? undefined : this.spanOfOffsets(keyStart, keyStart).column - 1;
    const offset = this.offsetInScalar(scalar.type, scalar.range[0], template, place, parentIndent);
    return offset === undefined ? this.valueSpan(path) : this.spanOfOffsets(offset, offset);
  }

  private offsetInScalar(
    type: Scalar['type'],
    start: number,
    template: string,
    place: { line: number; column: number },
    parentIndent: number | undefined,
  ): number | undefined {
    if (type === 'PLAIN' || type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
      const first = type === 'PLAIN' ? start : start + 1;
      const verbatim = !template.includes('\n') && this.text.startsWith(template, first);
      return verbatim && place.line === 1 ? first + place.column : undefined;
    }
    if (type === 'BLOCK_LITERAL') {
      const headerEnd = this.text.indexOf('\n', start);
      if (headerEnd === -1) return undefined;
      let lineStart = headerEnd + 1;
      const indent = this.blockIndent(this.text.slice(start, headerEnd), lineStart, parentIndent);
      if (indent === undefined) return undefined;
      for (let line = 1; line < place.line; line++) {
        const next = this.text.indexOf('\n', lineStart);
        if (next === -1) return undefined;
        lineStart = next + 1;
      }
      return lineStart + indent + place.column;
    }
    return undefined;
  }

  /**
   * A literal block's content indentation: parent indent + N with an explicit
   * indicator (`|2`), else that of its first line that is not blank (YAML's rule).
   */
  private blockIndent(header: string, contentStart: number, parentIndent: number | undefined): number | undefined {
    const indicator = /[1-9]/.exec(header.replace(/#.*/, ''))?.[0];
    if (indicator !== undefined) return parentIndent === undefined ? undefined : parentIndent + Number(indicator);
    const leading = /^(?: *\r?\n)*( *)/.exec(this.text.slice(contentStart, contentStart + 10_000));
    return leading?.[1]?.length;
  }

  private positioned(): { readonly doc: Document; readonly lineCounter: LineCounter } {
    if (this.parsed === undefined) {
      const yaml = yamlPackage();
      const lineCounter = new yaml.LineCounter();
      this.parsed = { doc: yaml.parseDocument(this.text, { ...YAML_OPTIONS, lineCounter }), lineCounter };
    }
    return this.parsed;
  }

  private spanOfRange(range: readonly [number, number, number] | null | undefined): SourceSpan {
    return range ? this.spanOfOffsets(range[0], range[1]) : START;
  }

  /**
   * Walks the document along `path`, following aliases into their anchors on
   * the way down. The last node is kept as written, so a path that ends at an
   * alias points at the alias, where the problem shows.
   */
  private find(path: ValuePath): { node: Node | null; pair?: Pair; complete: boolean } {
    let node = this.document.contents;
    let pair: Pair | undefined;
    for (const segment of path) {
      const next = this.child(this.resolve(node), segment);
      if (next === undefined) return { node, ...(pair && { pair }), complete: false };
      node = next.node;
      pair = next.pair;
    }
    return { node, ...(pair && { pair }), complete: true };
  }

  private child(node: Node | null, segment: string | number): { node: Node | null; pair?: Pair } | undefined {
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      return item === undefined ? undefined : { node: item };
    }
    if (!isMap(node)) return undefined;
    const key = String(segment);
    for (const pair of node.items) {
      if (scalarKey(pair) === key) return { node: pair.value as Node | null, pair };
    }
    // Keys brought in by a YAML merge (`<<: *defaults`) live in the anchored map.
    for (const pair of node.items) {
      if (scalarKey(pair) !== MERGE_KEY) continue;
      for (const source of this.mergeSources(pair.value as Node | null)) {
        const found = this.child(source, segment);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  private mergeSources(value: Node | null): Node[] {
    const resolved = this.resolve(value);
    const sources = isSeq(resolved) ? resolved.items.map((item) => this.resolve(item as Node)) : [resolved];
    return sources.filter((node): node is Node => node !== null);
  }

  private resolve(node: Node | null): Node | null {
    if (isAlias(node)) return (node.resolve(this.document) as Node | undefined) ?? null;
    return node;
  }
}

function scalarKey(pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key)) return typeof key === 'string' ? key : undefined;
  // With merge keys on, `yaml` holds `<<` as a symbol, not as the text "<<".
  return typeof key.value === 'symbol' ? key.value.description : String(key.value);
}
