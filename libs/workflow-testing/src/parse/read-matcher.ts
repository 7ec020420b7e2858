import { assertNever, errorMessage } from '@flowline/core';
import { didYouMean } from '@flowline/workflow';

import { CHECK_OPS, type Check, type CheckOp, type Matcher } from '../spec/test-spec.js';
import type { NodeReader } from './node-reader.js';
import { type YamlMap, type YamlNode, plainValue } from './positioned-yaml.js';

/** File contents are text: comparing them with numbers means nothing. */
export const FILE_CHECK_OPS: readonly CheckOp[] = ['equals', 'contains', 'matches', 'exists'];

/**
 * An expectation's value: a mapping whose keys are all matcher names
 * (`{ gte: 1, lt: 10 }`, every one must hold), or any other value, which
 * must equal the actual one. A mapping that mixes the two is refused, and
 * so is a one-key mapping whose key is a misspelt matcher (`contians:`),
 * which would otherwise silently become an equality check.
 */
export function readMatcher(
  node: YamlNode,
  reader: NodeReader,
  what: string,
  ops: readonly CheckOp[] = CHECK_OPS,
): Matcher | undefined {
  if (node.kind !== 'map') return [{ op: 'equals', expected: plainValue(node) }];
  const named = node.entries.filter((entry) => isCheckOp(entry.key));
  if (named.length === 0) return plainMapping(node, reader, what);
  if (named.length < node.entries.length) {
    const plain = node.entries.filter((entry) => !isCheckOp(entry.key)).map((entry) => entry.key);
    const message = `${what}: mixes matchers (${named.map((e) => e.key).join(', ')}) with other keys (${plain.join(', ')}); to compare a mapping write equals: { … }`;
    reader.problems.error('bad-matcher', message, node.at);
    return undefined;
  }
  const checks = named.map((entry) =>
    readCheck(entry.key as CheckOp, entry.value, reader, `${what}: ${entry.key}`, ops),
  );
  return checks.every((check) => check !== undefined) ? checks : undefined;
}

function plainMapping(node: YamlMap, reader: NodeReader, what: string): Matcher | undefined {
  const only = node.entries.length === 1 ? node.entries[0]! : undefined;
  const hint = only === undefined ? '' : didYouMean(only.key, CHECK_OPS);
  if (only !== undefined && hint !== '') {
    const message = `${what}: unknown matcher "${only.key}"${hint}; to compare a mapping write equals: { … }`;
    reader.problems.error('bad-matcher', message, only.keyAt);
    return undefined;
  }
  return [{ op: 'equals', expected: plainValue(node) }];
}

function readCheck(
  op: CheckOp,
  node: YamlNode,
  reader: NodeReader,
  what: string,
  ops: readonly CheckOp[],
): Check | undefined {
  if (!ops.includes(op)) {
    reader.problems.error('bad-matcher', `${what}: not a matcher here; use one of ${ops.join(', ')}`, node.at);
    return undefined;
  }
  switch (op) {
    case 'equals':
    case 'contains':
      return { op, expected: plainValue(node) };
    case 'matches':
      return regexCheck(node, reader, what);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const expected = reader.number(node, what);
      return expected === undefined ? undefined : { op, expected };
    }
    case 'exists': {
      const expected = reader.boolean(node, what);
      return expected === undefined ? undefined : { op, expected };
    }
    default:
      return assertNever(op, 'matcher');
  }
}

function regexCheck(node: YamlNode, reader: NodeReader, what: string): Check | undefined {
  const source = reader.string(node, what);
  if (source === undefined) return undefined;
  try {
    return { op: 'matches', pattern: new RegExp(source) };
  } catch (error) {
    reader.problems.error('bad-matcher', `${what}: not a valid regular expression: ${errorMessage(error)}`, node.at);
    return undefined;
  }
}

function isCheckOp(key: string): key is CheckOp {
  return (CHECK_OPS as readonly string[]).includes(key);
}
