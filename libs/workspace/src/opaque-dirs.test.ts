import { describe, expect, it } from '@jest/globals';

import { parseOpaque } from './opaque-dirs.js';

describe('parseOpaque', () => {
  it('reads the directories marked opaque from getfattr’s dump, decoding escaped names', () => {
    const dump = Buffer.concat([
      Buffer.from('# file: plain\ntrusted.overlay.opaque="y"\n\n'),
      Buffer.from('# file: back\\134slash\\012newline\ntrusted.overlay.opaque="y"\n\n'),
      Buffer.from('# file: '),
      Buffer.from('ünï 名前', 'utf8'),
      Buffer.from('\ntrusted.overlay.opaque="y"\n\n'),
      // "x" marks a directory that may hold whiteouts of a nested overlay; it is not opaque.
      Buffer.from('# file: not-opaque\ntrusted.overlay.opaque="x"\n\n'),
    ]);
    expect(parseOpaque(dump)).toEqual(['plain', 'back\\slash\nnewline', 'ünï 名前']);
  });

  it('finds nothing in an empty dump', () => {
    expect(parseOpaque(Buffer.alloc(0))).toEqual([]);
  });
});
