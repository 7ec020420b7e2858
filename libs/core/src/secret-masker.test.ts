import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { MASK, SecretMasker } from './secret-masker.js';

describe('SecretMasker', () => {
  const masker = new SecretMasker(['hunter2-"quoted"\\x', 'tok_123456']);

  it('masks the value, its JSON-escaped form and its base64 forms', () => {
    expect(masker.text('token=tok_123456.')).toBe(`token=${MASK}.`);
    expect(masker.text(JSON.stringify({ p: 'hunter2-"quoted"\\x' }))).toBe(`{"p":"${MASK}"}`);
    const basic = Buffer.from('tok_123456').toString('base64');
    expect(masker.text(`Authorization: Basic ${basic}`)).toBe(`Authorization: Basic ${MASK}`);
  });

  it('masks strings anywhere in a JSON value, keys included', () => {
    expect(masker.value({ a: ['x tok_123456', 1, null], tok_123456: true })).toEqual({
      a: [`x ${MASK}`, 1, null],
      [MASK]: true,
    });
  });

  it('leaves very short values alone', () => {
    expect(new SecretMasker(['ab']).text('abc')).toBe('abc');
  });

  it('never lets a secret of 4+ characters through, wherever it sits in the text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string(), fc.string(), (secret, before, after) => {
        const out = new SecretMasker([secret]).text(before + secret + after);
        expect(out.includes(secret)).toBe(false);
      }),
    );
  });
});
