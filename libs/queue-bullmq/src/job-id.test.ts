import { describe, expect, it } from '@jest/globals';

import { stepJobId } from './job-id.js';

describe('stepJobId', () => {
  it('names run, step, item and attempt, readably', () => {
    expect(stepJobId({ runId: 'r-42', key: { step: 'build' }, attempt: 1, generation: 0 })).toBe('r-42|build|1');
    expect(stepJobId({ runId: 'r-42', key: { step: 'build', item: 3 }, attempt: 2, generation: 0 })).toBe(
      'r-42|build[3]|2',
    );
  });

  it('never holds a ":" and is never an integer (BullMQ refuses both)', () => {
    const id = stepJobId({ runId: 'a:b::c', key: { step: 'x' }, attempt: 1, generation: 0 });
    expect(id).not.toContain(':');
    expect(id).toBe('a%3Ab%3A%3Ac|x|1');
    expect(stepJobId({ runId: '7', key: { step: 's' }, attempt: 1, generation: 0 })).not.toMatch(/^\d+$/);
  });

  it('gives different attempts different ids, even with separators or escapes in the names', () => {
    const keys = [
      { runId: 'a|b', key: { step: 'c' }, attempt: 1, generation: 0 },
      { runId: 'a', key: { step: 'b|c' }, attempt: 1, generation: 0 },
      { runId: 'a|b|c', key: { step: 'd' }, attempt: 1, generation: 0 },
      { runId: 'a%7Cb', key: { step: 'c' }, attempt: 1, generation: 0 },
      { runId: 'a', key: { step: 'b[1]' }, attempt: 1, generation: 0 },
      { runId: 'a', key: { step: 'b', item: 1 }, attempt: 1, generation: 0 },
      { runId: 'a', key: { step: 'b', item: 1 }, attempt: 11, generation: 0 },
      { runId: 'a', key: { step: 'b', item: 11 }, attempt: 1, generation: 0 },
      { runId: 'é', key: { step: 'b' }, attempt: 1, generation: 0 },
      { runId: 'e\u0301', key: { step: 'b' }, attempt: 1, generation: 0 },
    ];
    const ids = keys.map(stepJobId);
    expect(new Set(ids).size).toBe(keys.length);
    expect(ids[8]).toBe('%C3%A9|b|1');
  });

  it('tells the same attempt number of different generations (before and after a retry) apart', () => {
    const key = { runId: 'r', key: { step: 's' }, attempt: 1 };
    expect(stepJobId({ ...key, generation: 0 })).toBe('r|s|1');
    expect(stepJobId({ ...key, generation: 2 })).toBe('r|s|1|g2');
    expect(stepJobId({ ...key, generation: 1 })).not.toBe(stepJobId({ ...key, generation: 0 }));
  });

  it('is the same for the same attempt', () => {
    const key = { runId: 'r', key: { step: 's', item: 0 }, attempt: 4, generation: 0 };
    expect(stepJobId({ ...key })).toBe(stepJobId(key));
  });
});
