import { describe, expect, it } from '@jest/globals';

import { chunkOfLogSk, eventSk, listKey, logPrefix, logSk, seqOfEventSk } from './table-layout.js';

describe('table layout', () => {
  it('zero-pads numbers so that string order is number order', () => {
    const seqs = [1, 9, 10, 99, 100, 123_456];
    const keys = seqs.map(eventSk);
    expect([...keys].sort()).toEqual(keys);
    expect(keys.map(seqOfEventSk)).toEqual(seqs);
    expect(eventSk(7)).toBe('EVENT#000000000007');
  });

  it('keeps a step key from matching another that starts with it', () => {
    expect(logSk('each[2]', 3, 12)).toBe('LOG#each%5B2%5D#000003#0000000012');
    expect(logSk('each[2]', 3, 12).startsWith(logPrefix('each'))).toBe(false);
    expect(logSk('a#b', 1, 1).startsWith(logPrefix('a'))).toBe(false);
    expect(chunkOfLogSk(logSk('a#b', 1, 42))).toBe(42);
  });

  it('sorts runs by creation time, then id', () => {
    const keys = [listKey(900, 'b'), listKey(1_000, 'a'), listKey(1_000, 'b'), listKey(1_700_000_000_000, 'a')];
    expect([...keys].sort()).toEqual(keys);
  });
});
