import type { SourceSpan } from '@flowline/core';
import { didYouMean } from '@flowline/workflow';

import type { YamlEntry, YamlMap, YamlNode, YamlSeq } from './positioned-yaml.js';
import type { Problems } from './problems.js';

/** A mapping's entries by key, once unknown keys have been reported. */
export type Fields = ReadonlyMap<string, YamlEntry>;

/**
 * Typed reads of YAML nodes for one file: each read that finds the wrong
 * shape reports it where it was written and returns undefined, so a reader
 * carries on and a file with three mistakes gets three messages.
 */
export class NodeReader {
  constructor(readonly problems: Problems) {}

  /** The mapping's entries; keys outside `allowed` are `unknown-field` errors naming the closest allowed one. */
  fields(node: YamlNode, allowed: readonly string[], what: string): Fields | undefined {
    const map = this.map(node, what);
    if (map === undefined) return undefined;
    for (const entry of map.entries) {
      if (allowed.includes(entry.key)) continue;
      const hint = didYouMean(entry.key, allowed);
      this.problems.error(
        'unknown-field',
        `${what}: unknown field "${entry.key}"${hint}; allowed: ${allowed.join(', ')}`,
        entry.keyAt,
      );
    }
    return new Map(map.entries.map((entry) => [entry.key, entry]));
  }

  /** Reports a missing required field at the mapping (`at`); true when present. */
  require(fields: Fields, key: string, what: string, at: SourceSpan): boolean {
    if (fields.has(key)) return true;
    this.problems.error('missing-field', `${what} needs "${key}"`, at);
    return false;
  }

  map(node: YamlNode, what: string): YamlMap | undefined {
    return node.kind === 'map' ? node : this.wrong(node, what, 'a mapping');
  }

  seq(node: YamlNode, what: string): YamlSeq | undefined {
    return node.kind === 'seq' ? node : this.wrong(node, what, 'a list');
  }

  string(node: YamlNode, what: string): string | undefined {
    return node.kind === 'scalar' && typeof node.value === 'string' ? node.value : this.wrong(node, what, 'text');
  }

  boolean(node: YamlNode, what: string): boolean | undefined {
    return node.kind === 'scalar' && typeof node.value === 'boolean'
      ? node.value
      : this.wrong(node, what, 'true or false');
  }

  number(node: YamlNode, what: string): number | undefined {
    return node.kind === 'scalar' && typeof node.value === 'number' ? node.value : this.wrong(node, what, 'a number');
  }

  integer(node: YamlNode, what: string): number | undefined {
    const ok = node.kind === 'scalar' && typeof node.value === 'number' && Number.isInteger(node.value);
    return ok ? node.value : this.wrong(node, what, 'a whole number');
  }

  /** One of `allowed` words; anything else is `code`, naming the closest word. */
  word<T extends string>(node: YamlNode, allowed: readonly T[], what: string, code: string): T | undefined {
    const text = this.string(node, what);
    if (text === undefined) return undefined;
    const found = allowed.find((word) => word === text);
    if (found !== undefined) return found;
    const message = `${what}: unknown ${JSON.stringify(text)}${didYouMean(text, allowed)}; one of ${allowed.join(', ')}`;
    this.problems.error(code, message, node.at);
    return undefined;
  }

  private wrong(node: YamlNode, what: string, wanted: string): undefined {
    this.problems.error('wrong-type', `${what} must be ${wanted}, not ${describeNode(node)}`, node.at);
    return undefined;
  }
}

/** `a list`, `the number 3`, `text "abc"`: how a message names what was written. */
export function describeNode(node: YamlNode): string {
  if (node.kind === 'map') return 'a mapping';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'nothing';
  if (typeof node.value === 'string') return `text ${JSON.stringify(node.value.slice(0, 40))}`;
  if (typeof node.value === 'number') return `the number ${node.value}`;
  return String(node.value);
}
