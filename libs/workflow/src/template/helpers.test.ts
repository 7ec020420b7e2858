import { describe, expect, test } from '@jest/globals';

import { HELPERS } from './helpers.js';
import { call, renderWith } from './test-support/render.js';

/** Stands in for the `options` object Handlebars passes variadic helpers last. */
const OPTIONS = { hash: {} };

describe('helpers: equality', () => {
  test.each<[unknown, unknown, boolean]>([
    ['3', 3, true],
    [3, '3', true],
    [3, 3, true],
    ['3.0', 3, true],
    [' 3 ', 3, true],
    ['3', '03', false],
    ['3', '3', true],
    ['abc', 'abc', true],
    ['abc', 'ABC', false],
    ['x', 3, false],
    ['', 0, false],
    [true, 'true', false],
    [true, true, true],
    [[1, 'a'], [1, 'a'], true],
    [[1, 'a'], ['a', 1], false],
    [{ k: 1 }, { k: 1 }, true],
    [{ k: 1 }, { k: 2 }, false],
    [null, null, true],
    [null, undefined, false],
  ])('eq %j %j is %s', (a, b, expected) => {
    expect(call('eq', a, b)).toBe(String(expected));
    expect(call('ne', a, b)).toBe(String(!expected));
    expect(HELPERS.eq(a, b)).toBe(expected);
    expect(HELPERS.ne(a, b)).toBe(!expected);
  });

  test('literals in the template compare with values from the context', () => {
    expect(renderWith('{{eq inputs.n 3}}', { n: '3' })).toBe('true');
    expect(renderWith('{{eq inputs.n "03"}}', { n: '3' })).toBe('false');
    expect(renderWith('{{ne inputs.s "ok"}}', { s: 'ok' })).toBe('false');
  });
});

describe('helpers: order', () => {
  // [a, b, lt, lte, gt, gte]
  test.each<[unknown, unknown, boolean, boolean, boolean, boolean]>([
    [2, 10, true, true, false, false],
    [10, 2, false, false, true, true],
    [5, 5, false, true, false, true],
    [-1.5, 0, true, true, false, false],
    ['2', '10', true, true, false, false], // numeric text compares as numbers
    ['10', 9, false, false, true, true],
    [9, '10', true, true, false, false],
    ['7', 7, false, true, false, true],
    ['apple', 'banana', true, true, false, false],
    ['b', 'a', false, false, true, true],
    ['same', 'same', false, true, false, true],
    ['abc', 3, false, false, false, false],
    [3, 'abc', false, false, false, false],
    [true, 1, false, false, false, false],
    [undefined, 1, false, false, false, false],
    [[1], [2], false, false, false, false],
  ])('%j vs %j: lt %s, lte %s, gt %s, gte %s', (a, b, lt, lte, gt, gte) => {
    expect([call('lt', a, b), call('lte', a, b), call('gt', a, b), call('gte', a, b)]).toEqual([
      String(lt),
      String(lte),
      String(gt),
      String(gte),
    ]);
    expect([HELPERS.lt(a, b), HELPERS.lte(a, b), HELPERS.gt(a, b), HELPERS.gte(a, b)]).toEqual([lt, lte, gt, gte]);
  });
});

describe('helpers: logic', () => {
  test.each<[string, string]>([
    ['{{and true}}', 'true'],
    ['{{and false}}', 'false'],
    ['{{and true 1}}', 'true'],
    ['{{and true "0"}}', 'false'],
    ['{{and 1 "yes" true}}', 'true'],
    ['{{and 1 "yes" "false"}}', 'false'],
    ['{{or false}}', 'false'],
    ['{{or "x"}}', 'true'],
    ['{{or 0 "null"}}', 'false'],
    ['{{or 0 "a"}}', 'true'],
    ['{{or 0 "" "undefined"}}', 'false'],
    ['{{or 0 "" 2}}', 'true'],
    ['{{not true}}', 'false'],
    ['{{not false}}', 'true'],
    ['{{not 0}}', 'true'],
    ['{{not "false"}}', 'true'],
    ['{{not " 0 "}}', 'true'],
    ['{{not "no"}}', 'false'],
  ])('%s renders %s', (source, expected) => {
    expect(renderWith(source)).toBe(expected);
  });

  test('and/or judge context values like they render', () => {
    expect(renderWith('{{and inputs.list inputs.map}}', { list: [], map: {} })).toBe('false');
    expect(renderWith('{{or inputs.list inputs.map}}', { list: [], map: {} })).toBe('true');
    expect(renderWith('{{not inputs.missing}}')).toBe('true');
  });

  test('variadic helpers ignore the trailing options object', () => {
    expect(HELPERS.and(true, OPTIONS)).toBe(true);
    expect(HELPERS.and(true, 0, OPTIONS)).toBe(false);
    expect(HELPERS.or(OPTIONS)).toBe(false);
    expect(HELPERS.or(0, '', 'x', OPTIONS)).toBe(true);
  });
});

describe('helpers: contains', () => {
  test.each<[unknown, unknown, boolean]>([
    ['hello world', 'world', true],
    ['hello world', 'World', false],
    ['v123', 3, true],
    ['abc', '', true],
    [['1', '2'], 2, true], // loose numeric equality
    [[1, 2], '2', true],
    [[1, 2], 3, false],
    [['a', 'b'], 'b', true],
    [['a', 'b'], 'c', false],
    [['03'], '3', false],
    [[{ k: 1 }], { k: 1 }, true],
    [{ key: 1 }, 'key', true],
    [{ key: 1 }, 'other', false],
    [{ key: 1 }, 'toString', false], // own keys only
    [{ 1: 'x' }, 1, true],
    [null, 'a', false],
    [42, '4', false],
  ])('contains %j %j is %s', (haystack, needle, expected) => {
    expect(call('contains', haystack, needle)).toBe(String(expected));
  });
});

describe('helpers: default', () => {
  test.each<[string, unknown, string]>([
    ['missing', undefined, 'fallback'],
    ['null', null, 'fallback'],
    ['empty text', '', 'fallback'],
    ['zero', 0, '0'],
    ['false', false, 'false'],
    ['a space', ' ', ' '],
    ['text', 'set', 'set'],
    ['"0"', '0', '0'],
  ])('%s', (_, value, expected) => {
    const inputs = value === undefined ? {} : { v: value };
    expect(renderWith('{{default inputs.v "fallback"}}', inputs)).toBe(expected);
  });

  test('keeps the value itself, not its text', () => {
    expect(HELPERS.default(0, 'x')).toBe(0);
    expect(HELPERS.default(false, 'x')).toBe(false);
    const list = [1];
    expect(HELPERS.default(list, 'x')).toBe(list);
    expect(HELPERS.default(undefined, 7)).toBe(7);
  });
});

describe('helpers: json', () => {
  test.each<[string, unknown, string]>([
    ['a mapping', { a: 1, b: [1, 'x'] }, '{"a":1,"b":[1,"x"]}'],
    ['text with quotes', 'a"b', '"a\\"b"'],
    ['a number', 5, '5'],
    ['a boolean', false, 'false'],
    ['null', null, 'null'],
    ['a missing value', undefined, 'null'],
  ])('%s', (_, value, expected) => {
    expect(call('json', value)).toBe(expected);
  });

  test('indents by the given number of spaces', () => {
    expect(renderWith('{{json inputs.v 2}}', { v: { a: 1, b: [true] } })).toBe(
      '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}',
    );
  });

  test('an indent that is not a number is ignored', () => {
    expect(renderWith('{{json inputs.v "2"}}', { v: { a: 1 } })).toBe('{"a":1}');
  });
});

describe('helpers: len', () => {
  test.each<[string, unknown, string]>([
    ['text', 'abc', '3'],
    ['empty text', '', '0'],
    ['a list', [1, 2], '2'],
    ['a mapping', { a: 1, b: 2, c: 3 }, '3'],
    ['a missing value', undefined, '0'],
    ['null', null, '0'],
    ['a number', 42, '0'],
  ])('%s', (_, value, expected) => {
    expect(call('len', value)).toBe(expected);
  });
});

describe('helpers: join', () => {
  test('joins with "," by default', () => {
    expect(renderWith('{{join inputs.list}}', { list: ['a', 'b', 'c'] })).toBe('a,b,c');
  });

  test('joins with a custom separator', () => {
    expect(renderWith('{{join inputs.list " | "}}', { list: ['a', 'b', 'c'] })).toBe('a | b | c');
    expect(renderWith('{{join inputs.list ""}}', { list: ['a', 'b'] })).toBe('ab');
  });

  test('items render as text: nothing for null, JSON for mappings', () => {
    expect(renderWith('{{join inputs.list}}', { list: [1, null, true, { x: 1 }, ['y']] })).toBe(
      '1,,true,{"x":1},["y"]',
    );
  });

  test('a value that is not a list renders as text', () => {
    expect(renderWith('{{join inputs.v}}', { v: 'abc' })).toBe('abc');
    expect(renderWith('{{join inputs.v}}')).toBe('');
  });
});

describe('helpers: text case and whitespace', () => {
  test.each<[string, unknown, string]>([
    ['lower', 'MiXed Case', 'mixed case'],
    ['upper', 'MiXed Case', 'MIXED CASE'],
    ['trim', '  a b \n', 'a b'],
    ['lower', undefined, ''],
    ['upper', null, ''],
    ['trim', 42, '42'],
    ['upper', true, 'TRUE'],
    ['lower', { Key: 'VALUE' }, '{"key":"value"}'],
    ['upper', ['a', 'b'], '["A","B"]'],
  ])('%s %j renders %j', (helper, value, expected) => {
    expect(call(helper, value)).toBe(expected);
  });

  test('a mapping renders as JSON, never [object Object]', () => {
    const rendered = renderWith('{{lower inputs.v}}', { v: { Nested: { A: 1 } } });
    expect(rendered).toBe('{"nested":{"a":1}}');
    expect(rendered).not.toContain('[object');
  });
});
