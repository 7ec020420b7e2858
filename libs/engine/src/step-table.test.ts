import { describe, expect, test } from '@jest/globals';

import { StepTable } from './step-table.js';

describe('StepTable', () => {
  test('set returns a new table and leaves the old one unchanged, across chunk boundaries', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const table = StepTable.from(values);
    let changed = table;
    for (const i of [0, 31, 32, 63, 64, 99]) changed = changed.set(i, -i);
    expect(table.toArray()).toEqual(values);
    expect(changed.toArray()).toEqual(values.map((v) => ([0, 31, 32, 63, 64, 99].includes(v) ? -v : v)));
    expect(changed.length).toBe(100);
  });

  test('out of range is an error, not undefined', () => {
    const table = StepTable.from(['a']);
    expect(() => table.get(1)).toThrow(RangeError);
    expect(() => table.set(-1, 'x')).toThrow(RangeError);
    expect(StepTable.from([]).toArray()).toEqual([]);
  });

  test('changedSince lists exactly the indexes set since, across chunks', () => {
    const base = StepTable.from(Array.from({ length: 100 }, (_, i) => ({ i })));
    let later = base;
    for (const index of [99, 3, 40, 3]) later = later.set(index, { i: -index });
    expect(later.changedSince(base).sort((a, b) => a - b)).toEqual([3, 40, 99]);
    expect(base.changedSince(base)).toEqual([]);
  });
});
