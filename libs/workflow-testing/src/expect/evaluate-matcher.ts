import { assertNever } from '@flowline/core';

import type { Check, Matcher } from '../spec/test-spec.js';

/**
 * The checks of `matcher` that `actual` fails; empty when it passes.
 * `actual` undefined means the value is missing (no such output, no file).
 */
export function failedChecks(matcher: Matcher, actual: unknown): Check[] {
  return matcher.filter((check) => !holds(check, actual));
}

function holds(check: Check, actual: unknown): boolean {
  switch (check.op) {
    case 'exists':
      return (actual !== undefined) === check.expected;
    case 'equals':
      return actual !== undefined && looseEqual(check.expected, actual);
    case 'contains':
      return contains(actual, check.expected);
    case 'matches':
      return isScalar(actual) && actual !== null && check.pattern.test(String(actual));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compare(check.op, numberOf(actual), check.expected);
    default:
      return assertNever(check, 'check');
  }
}

/**
 * Equality as a workflow author means it: run outputs are rendered text and
 * `$FLOWLINE_OUTPUT` values are text, so numeric text equals its number
 * (`"0"` = 0, `"1.50"` = 1.5) and `"true"` equals true. Lists compare item by
 * item, mappings key by key, with the same rule at every depth.
 */
export function looseEqual(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual) || expected.length !== actual.length) return false;
    return expected.every((item, i) => looseEqual(item, actual[i]));
  }
  if (isScalar(expected) || isScalar(actual))
    return isScalar(expected) && isScalar(actual) && scalarEqual(expected, actual);
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = Object.keys(e);
  return (
    keys.length === Object.keys(a).length && keys.every((key) => Object.hasOwn(a, key) && looseEqual(e[key], a[key]))
  );
}

type Scalar = string | number | boolean | null | undefined;

function isScalar(value: unknown): value is Scalar {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function scalarEqual(expected: Scalar, actual: Scalar): boolean {
  if (expected === actual) return true;
  if (typeof expected === typeof actual) return false;
  const [e, a] = [numberOf(expected), numberOf(actual)];
  if (e !== undefined && a !== undefined) return e === a;
  return String(expected) === String(actual);
}

/** Text contains the expected text; a list contains an item equal to the expected value. */
function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((item) => looseEqual(expected, item));
  if (typeof actual !== 'string') return false;
  return isScalar(expected) && expected !== null && actual.includes(String(expected));
}

/** A number, or text that is one (trimmed); anything else has no numeric value. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

function compare(op: 'gt' | 'gte' | 'lt' | 'lte', actual: number | undefined, expected: number): boolean {
  if (actual === undefined) return false;
  switch (op) {
    case 'gt':
      return actual > expected;
    case 'gte':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'lte':
      return actual <= expected;
    default:
      return assertNever(op, 'comparison');
  }
}
