import { describe, expect, test } from '@jest/globals';

import { isTruthyText, isTruthyValue } from './truthiness.js';

describe('truthiness', () => {
  test.each<[string, boolean]>([
    ['', false],
    ['   ', false],
    ['false', false],
    [' false\n', false],
    ['0', false],
    [' 0 ', false],
    ['null', false],
    ['undefined', false],
    ['\tundefined ', false],
    ['False', true], // only the exact lowercase words are false
    ['FALSE', true],
    ['Null', true],
    ['0.0', true],
    ['00', true],
    ['no', true],
    ['true', true],
    ['1', true],
    ['[]', true],
  ])('isTruthyText(%j) is %s', (text, expected) => {
    expect(isTruthyText(text)).toBe(expected);
  });

  test.each<[string, unknown, boolean]>([
    ['0', 0, false],
    ['-0', -0, false],
    ['NaN', NaN, false],
    ['1', 1, true],
    ['-1', -1, true],
    ['Infinity', Infinity, true],
    ['[]', [], false],
    ['[0]', [0], true],
    ['{}', {}, true],
    ['""', '', false],
    ['"0"', '0', false],
    ['"false"', 'false', false],
    ['" x "', ' x ', true],
    ['true', true, true],
    ['false', false, false],
    ['null', null, false],
    ['undefined', undefined, false],
  ])('isTruthyValue(%s) is %s', (_, value, expected) => {
    expect(isTruthyValue(value)).toBe(expected);
  });
});
