import { describe, expect, it } from '@jest/globals';

import { groupKeyPart, runGateKeys } from './run-gate-keys.js';

describe('runGateKeys', () => {
  it('puts every key of a group under the prefix, which opens with its hash tag', () => {
    expect(runGateKeys('{flowline}', 'acme/app')).toEqual({
      holders: '{flowline}:run-gate:acme%2Fapp:holders',
      line: '{flowline}:run-gate:acme%2Fapp:line',
      tickets: '{flowline}:run-gate:tickets',
    });
  });
});

describe('groupKeyPart', () => {
  it('keeps letters, digits, `_`, `.` and `-`, and %-escapes the UTF-8 of anything else', () => {
    expect(groupKeyPart('My_repo-1.2')).toBe('My_repo-1.2');
    expect(groupKeyPart('a:b {c}%')).toBe('a%3Ab%20%7Bc%7D%25');
    expect(groupKeyPart('ü🚀')).toBe('%C3%BC%F0%9F%9A%80');
    expect(groupKeyPart('')).toBe('');
  });

  it('keeps lone surrogates apart, which UTF-8 would turn into the same U+FFFD', () => {
    expect(groupKeyPart('\uD800')).toBe('%uD800');
    expect(groupKeyPart('\uDC01x')).toBe('%uDC01x');
  });

  it('hashes a long name, into a form no escaped name can take', () => {
    const long = groupKeyPart('x'.repeat(201));
    expect(long).toMatch(/^#[0-9a-f]{64}$/);
    expect(groupKeyPart(`${'x'.repeat(200)}y`)).not.toBe(long);
    expect(groupKeyPart('x'.repeat(200))).toBe('x'.repeat(200));
    expect(groupKeyPart('#')).toBe('%23');
  });
});
