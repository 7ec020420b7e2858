import { formatBytes } from '@flowline/core';

import type { ValuePath } from '../source/source-positions.js';

/** Words for a value in an error message: `the number 30`, `"10 minutes"`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** A string in double quotes, cut to a readable length. */
export function quote(text: string, max = 60): string {
  const shown = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return JSON.stringify(shown);
}

/** JSON Schema's type names in words: `integer` → `a whole number`. */
export const TYPE_WORDS = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
} as const satisfies Record<string, string>;

/** `a, b or c` */
export function listWords(words: readonly string[], conjunction = 'or'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]!}`;
}

/** `['retry', 'max_attempts']` → `retry.max_attempts`; `['needs', 1]` → `needs[1]`. */
export function formatField(path: ValuePath): string {
  let out = '';
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * `is 2.3 MiB; the limit is 1 MiB` — in exact bytes when rounding would make
 * the two look equal (one byte over a 1 MiB limit).
 */
export function overLimit(bytes: number, limit: number): string {
  const [size, max] = [formatBytes(bytes), formatBytes(limit)];
  if (size !== max) return `is ${size}; the limit is ${max}`;
  return `is ${bytes.toLocaleString('en')} bytes; the limit is ${limit.toLocaleString('en')} bytes (${max})`;
}
