import { describe, expect, it } from '@jest/globals';

import type { Check } from '../spec/test-spec.js';
import { describeChecks, showValue } from './describe.js';
import { failedChecks, looseEqual } from './evaluate-matcher.js';

const passes = (check: Check, actual: unknown) => failedChecks([check], actual).length === 0;

describe('matchers', () => {
  it('equals: numeric text equals its number, "true" equals true, lists and mappings at every depth', () => {
    expect(looseEqual(0, '0')).toBe(true);
    expect(looseEqual(1.5, '1.50')).toBe(true);
    expect(looseEqual(true, 'true')).toBe(true);
    expect(looseEqual('abc', 'abc')).toBe(true);
    expect(looseEqual({ a: [1, '2'] }, { a: ['1', 2] })).toBe(true);
    expect(looseEqual(0, '')).toBe(false);
    expect(looseEqual('abc', 'abd')).toBe(false);
    expect(looseEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(looseEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(looseEqual({ a: 1 }, [1])).toBe(false);
    expect(passes({ op: 'equals', expected: null }, undefined)).toBe(false);
  });

  it('contains: text in text, an item in a list, nothing in anything else', () => {
    expect(passes({ op: 'contains', expected: 'Fix' }, 'Fixed it')).toBe(true);
    expect(passes({ op: 'contains', expected: 3 }, 'has 3 files')).toBe(true);
    expect(passes({ op: 'contains', expected: 'src/a.ts' }, ['src/a.ts', 'src/b.ts'])).toBe(true);
    expect(passes({ op: 'contains', expected: 2 }, ['1', '2'])).toBe(true);
    expect(passes({ op: 'contains', expected: 'x' }, 'abc')).toBe(false);
    expect(passes({ op: 'contains', expected: 'x' }, { x: 1 })).toBe(false);
    expect(passes({ op: 'contains', expected: 'x' }, undefined)).toBe(false);
  });

  it('matches: a regular expression anywhere in the text of a scalar', () => {
    expect(passes({ op: 'matches', pattern: /^All \d+ files/ }, 'All 12 files')).toBe(true);
    expect(passes({ op: 'matches', pattern: /^\d+$/ }, 42)).toBe(true);
    expect(passes({ op: 'matches', pattern: /^All/ }, 'Not all')).toBe(false);
    expect(passes({ op: 'matches', pattern: /x/ }, ['x'])).toBe(false);
  });

  it('compares numbers and numeric text, and nothing else', () => {
    expect(passes({ op: 'gt', expected: 1 }, '2')).toBe(true);
    expect(passes({ op: 'gte', expected: 80 }, 80)).toBe(true);
    expect(passes({ op: 'lt', expected: 0.5 }, ' 0.25 ')).toBe(true);
    expect(passes({ op: 'lte', expected: 3 }, 3)).toBe(true);
    expect(passes({ op: 'gt', expected: 2 }, 2)).toBe(false);
    expect(passes({ op: 'lt', expected: 2 }, 'two')).toBe(false);
    expect(passes({ op: 'gte', expected: 0 }, '')).toBe(false);
    expect(passes({ op: 'lte', expected: 0 }, undefined)).toBe(false);
  });

  it('exists: present (null included) or missing', () => {
    expect(passes({ op: 'exists', expected: true }, null)).toBe(true);
    expect(passes({ op: 'exists', expected: false }, undefined)).toBe(true);
    expect(passes({ op: 'exists', expected: true }, undefined)).toBe(false);
  });

  it('returns only the checks that fail, described as a report shows them', () => {
    const checks: Check[] = [
      { op: 'gte', expected: 1 },
      { op: 'lt', expected: 10 },
      { op: 'matches', pattern: /^1/ },
    ];
    const failed = failedChecks(checks, '12');
    expect(describeChecks(failed)).toBe('< 10');
    expect(describeChecks(checks)).toBe('>= 1 and < 10 and matches /^1/');
    expect(
      describeChecks([
        { op: 'equals', expected: 'a' },
        { op: 'exists', expected: false },
      ]),
    ).toBe('"a" and does not exist');
    expect(showValue(undefined)).toBe('missing');
    expect(showValue('x'.repeat(300))).toMatch(/^"x{199}… \(302 characters\)$/);
  });
});
