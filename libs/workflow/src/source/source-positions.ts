import type { SourceSpan } from '@flowline/core';
import {
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type Scalar,
  isAlias,
  isMap,
  isScalar,
  isSeq,
} from 'yaml';

/** A path into the workflow value, as JSON Schema and the validator see it. */
export type ValuePath = readonly (string | number)[];

const MERGE_KEY = '<<';

/**
 * Maps paths in the parsed value back to places in the YAML text. Built once
 * per file; lookups walk the YAML tree only when a diagnostic needs a place,
 * so valid files never pay for it.
 */
export class SourcePositions {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly text: string,
  ) {}

  /** The span of the value at `path`, or of its nearest existing ancestor. */
  valueSpan(path: ValuePath): SourceSpan {
    const found = this.find(path);
    return this.spanOfRange(found.node?.range ?? this.doc.range);
  }

  /** The span of the key holding `path`'s last segment (for "unknown field" errors). */
  keySpan(path: ValuePath): SourceSpan {
    const found = this.find(path);
    const key = found.pair?.key as Node | undefined;
    if (found.complete && key?.range) return this.spanOfRange(key.range);
    return this.valueSpan(path);
  }

  /** The span of a source offset range. */
  spanOfOffsets(start: number, end: number): SourceSpan {
    const from = this.lineCounter.linePos(start);
    const to = this.lineCounter.linePos(Math.max(start, end));
    return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  }

  /** The scalar node at `path`, when there is one; templates use it to point inside a string. */
  scalarAt(path: ValuePath): Scalar | undefined {
    const found = this.find(path);
    return found.complete && isScalar(found.node) ? found.node : undefined;
  }

  /**
   * The span of a place inside the template at `path` (line 1-based, column
   * 0-based within the template text). Exact for single-line plain or quoted
   * scalars whose text appears verbatim, and for literal block scalars (`|`);
   * otherwise the scalar's start, which is still the right line to look at.
   */
  templateSpan(path: ValuePath, template: string, place: { line: number; column: number }): SourceSpan {
    const scalar = this.scalarAt(path);
    const range = scalar?.range;
    if (!scalar || !range) return this.valueSpan(path);
    const offset = this.offsetInScalar(scalar.type, range[0], template, place);
    return offset === undefined ? this.valueSpan(path) : this.spanOfOffsets(offset, offset);
  }

  private offsetInScalar(
    type: Scalar['type'],
    start: number,
    template: string,
    place: { line: number; column: number },
  ): number | undefined {
    if (type === 'PLAIN' || type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') {
      const first = type === 'PLAIN' ? start : start + 1;
      const verbatim = !template.includes('\n') && this.text.startsWith(template, first);
      return verbatim && place.line === 1 ? first + place.column : undefined;
    }
    if (type === 'BLOCK_LITERAL') {
      let lineStart = this.text.indexOf('\n', start) + 1;
      if (lineStart === 0) return undefined;
      const indent = /^ */.exec(this.text.slice(lineStart))![0].length;
      for (let line = 1; line < place.line; line++) {
        const next = this.text.indexOf('\n', lineStart);
        if (next === -1) return undefined;
        lineStart = next + 1;
      }
      return lineStart + indent + place.column;
    }
    return undefined;
  }

  private spanOfRange(range: readonly [number, number, number] | null | undefined): SourceSpan {
    if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return this.spanOfOffsets(range[0], range[1]);
  }

  private find(path: ValuePath): { node: Node | null; pair?: Pair; complete: boolean } {
    let node = this.resolve(this.doc.contents);
    let pair: Pair | undefined;
    for (const segment of path) {
      const next = this.child(node, segment);
      if (next === undefined) return pair === undefined ? { node, complete: false } : { node, pair, complete: false };
      node = next.node;
      pair = next.pair;
    }
    return pair === undefined ? { node, complete: true } : { node, pair, complete: true };
  }

  private child(node: Node | null, segment: string | number): { node: Node | null; pair?: Pair } | undefined {
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      return item === undefined ? undefined : { node: this.resolve(item) };
    }
    if (!isMap(node)) return undefined;
    const key = String(segment);
    for (const pair of node.items) {
      if (scalarKey(pair) === key) return { node: this.resolve(pair.value as Node | null), pair };
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
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? null;
    return node;
  }
}

function scalarKey(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}
