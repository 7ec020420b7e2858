import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, by code unit (so "10" before "9"), with no whitespace', () => {
    const value = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, 9: 'nine', 10: 'ten' };
    expect(canonicalJson(value)).toBe('{"10":"ten","9":"nine","a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('equal values give equal text whatever the key insertion order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2], z: { q: 's' } })).toBe(canonicalJson({ z: { q: 's' }, y: [1, 2], x: 1 }));
  });

  it('follows JSON.stringify for undefined, toJSON and escapes', () => {
    const date = new Date(Date.UTC(2024, 0, 2));
    expect(canonicalJson({ gone: undefined, list: [undefined, 1], when: date, s: 'a"\n\u2028' })).toBe(
      `{"list":[null,1],"s":${JSON.stringify('a"\n\u2028')},"when":"2024-01-02T00:00:00.000Z"}`,
    );
  });

  it('refuses values JSON cannot carry, naming where', () => {
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(expect.objectContaining({ code: 'not_json' }));
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow('$.a[1] is NaN');
    expect(() => canonicalJson({ n: 1n })).toThrow('$.n is bigint');
    expect(() => canonicalJson(undefined)).toThrow('$ is undefined');
    expect(() => canonicalJson({ f: () => 1 })).toThrow('$.f is function');
  });

  it('is JSON that parses back to the same value, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(canonicalJson(value));
      }),
    );
  });
});
