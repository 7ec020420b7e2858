import { describe, expect, it } from '@jest/globals';

import { newRun } from '../../ports/src/test-support/fixtures.js';
import { expiryOf, recordFromItem, recordItem } from './record-item.js';

describe('run record items', () => {
  it('round-trips a record exactly, with values DynamoDB numbers and maps could not hold', () => {
    const record = {
      ...newRun({ inputs: { big: 1.7976931348623157e308, deep: [[[[[[[{}]]]]]]], empty: '' } }),
      version: 3,
    };
    expect(recordFromItem(recordItem(record, undefined, 'w'))).toEqual(record);
  });

  it('expires a finished run retention after it finished; never a running one', () => {
    const run = { ...newRun({ finishedAt: 1_700_000_000_999, status: 'failed' }), version: 2 };
    expect(expiryOf(run, 100)).toBe(1_700_000_100);
    expect(expiryOf({ ...run, finishedAt: undefined, updatedAt: 2_000_000 }, 100)).toBe(2_100);
    expect(expiryOf({ ...run, status: 'running' }, 100)).toBeUndefined();
  });

  it('refuses an item that is not a run record as corrupt', () => {
    expect(() => recordFromItem({ PK: { S: 'RUN#x' }, version: { N: '1' }, record: { S: '{oops' } })).toThrow(
      expect.objectContaining({ code: 'state_corrupt' }),
    );
  });
});
