import { describe, expect, it } from '@jest/globals';

import { deadLetter } from '../../ports/src/test-support/fixtures.js';
import { letterConditions, letterFromItem, letterItem } from './letter-item.js';

describe('dead letter items', () => {
  it('round-trips a letter exactly', () => {
    const letter = deadLetter({ inputs: { big: 1.7976931348623157e308, deep: [[[[[[[{}]]]]]]], empty: '' } });
    expect(letterFromItem(letterItem(letter, 1))).toStrictEqual(letter);
  });

  it('refuses as corrupt an item that is not a letter, or holds another letter than its key says', () => {
    const [stored, other] = [deadLetter(), deadLetter()];
    const moved = { ...letterItem(stored, 1), SK: { S: `LETTER#${other.id}` } };
    for (const item of [moved, { SK: { S: `LETTER#${other.id}` }, record: { S: '{oops' } }, { SK: { S: 'LETTER#' } }]) {
      expect(() => letterFromItem(item)).toThrow(expect.objectContaining({ code: 'state_corrupt' }));
    }
  });

  it('filters on the letter attributes only, never on the run indexes’ workflow or runStatus', () => {
    expect(letterConditions({})).toEqual({});
    expect(letterConditions({ runId: 'r1', workflow: 'ci', fingerprint: 'f' })).toEqual({
      letterRun: 'r1',
      letterWorkflow: 'ci',
      letterFingerprint: 'f',
    });
  });
});
