import type Handlebars from 'handlebars';

import { isTruthyValue } from './truthiness.js';

/**
 * The template helpers of the language (DESIGN §2), and nothing else: with
 * `knownHelpersOnly`, a template can call only these and Handlebars' own
 * `if`, `unless`, `each`, `with` and `lookup`.
 *
 * Comparisons are by value across the text/number divide, because outputs
 * read from `$FLOWLINE_OUTPUT` arrive as text: `{{eq steps.count.outputs.n 3}}`
 * holds when the step wrote `n=3`.
 */

/** Handlebars passes its `options` object as the last argument; variadic helpers drop it. */
type HelperArgs = unknown[];

function args(all: HelperArgs): unknown[] {
  return all.slice(0, -1);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined && (typeof a === 'number' || typeof b === 'number')) return x === y;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return false;
}

/** Numbers compare as numbers (numeric text included), text as text; anything else is not ordered. */
function compare(a: unknown, b: unknown): number | undefined {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) return x - y;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function ordered(test: (order: number) => boolean) {
  return (a: unknown, b: unknown): boolean => {
    const order = compare(a, b);
    return order !== undefined && test(order);
  };
}

/** Text of a value as a helper sees it: nothing for missing values, JSON for lists and mappings. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

export const HELPERS = {
  eq: (a: unknown, b: unknown) => looselyEqual(a, b),
  ne: (a: unknown, b: unknown) => !looselyEqual(a, b),
  lt: ordered((o) => o < 0),
  lte: ordered((o) => o <= 0),
  gt: ordered((o) => o > 0),
  gte: ordered((o) => o >= 0),
  and: (...all: HelperArgs) => args(all).every(isTruthyValue),
  or: (...all: HelperArgs) => args(all).some(isTruthyValue),
  not: (value: unknown) => !isTruthyValue(value),
  contains(haystack: unknown, needle: unknown): boolean {
    if (typeof haystack === 'string') return haystack.includes(text(needle));
    if (Array.isArray(haystack)) return haystack.some((item) => looselyEqual(item, needle));
    if (haystack !== null && typeof haystack === 'object') return Object.hasOwn(haystack, text(needle));
    return false;
  },
  /** The value, unless it is missing or empty text. */
  default: (value: unknown, fallback: unknown) =>
    value === undefined || value === null || value === '' ? fallback : value,
  /** JSON text of a value; `{{json x 2}}` indents by two spaces. */
  json(...all: HelperArgs): string {
    const [value, indent] = args(all);
    return JSON.stringify(value ?? null, null, typeof indent === 'number' ? indent : undefined);
  },
  len(value: unknown): number {
    if (typeof value === 'string' || Array.isArray(value)) return value.length;
    if (value !== null && typeof value === 'object') return Object.keys(value).length;
    return 0;
  },
  /** `{{join list ", "}}`; the separator defaults to ",". */
  join(...all: HelperArgs): string {
    const [list, separator] = args(all);
    if (!Array.isArray(list)) return text(list);
    return list.map(text).join(typeof separator === 'string' ? separator : ',');
  },
  lower: (value: unknown) => text(value).toLowerCase(),
  upper: (value: unknown) => text(value).toUpperCase(),
  trim: (value: unknown) => text(value).trim(),
} as const;

export type HelperName = keyof typeof HELPERS;

/**
 * `{{#if}}` and `{{#unless}}` judge by the language's truthiness, not
 * Handlebars' (for which the text "false" is true): outputs arrive as text,
 * and a step that wrote `ok=false` must read as false everywhere.
 */
export const BLOCK_HELPERS = {
  if(this: unknown, value: unknown, options: Handlebars.HelperOptions): string {
    return isTruthyValue(value) ? options.fn(this) : options.inverse(this);
  },
  unless(this: unknown, value: unknown, options: Handlebars.HelperOptions): string {
    return isTruthyValue(value) ? options.inverse(this) : options.fn(this);
  },
} as const;

/** Handlebars' built-in helpers a template may use; `log` and partials are not among them. */
export const BUILTIN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup'] as const;

export const KNOWN_HELPERS: ReadonlySet<string> = new Set([...Object.keys(HELPERS), ...BUILTIN_HELPERS]);

/** How many positional arguments each helper takes: [fewest, most]. */
export const HELPER_ARITY: Readonly<Record<string, readonly [number, number]>> = {
  eq: [2, 2],
  ne: [2, 2],
  lt: [2, 2],
  lte: [2, 2],
  gt: [2, 2],
  gte: [2, 2],
  and: [1, Infinity],
  or: [1, Infinity],
  not: [1, 1],
  contains: [2, 2],
  default: [2, 2],
  json: [1, 2],
  len: [1, 1],
  join: [1, 2],
  lower: [1, 1],
  upper: [1, 1],
  trim: [1, 1],
  if: [1, 1],
  unless: [1, 1],
  each: [1, 1],
  with: [1, 1],
  lookup: [2, 2],
};
