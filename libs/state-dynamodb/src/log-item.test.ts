import { describe, expect, it } from '@jest/globals';

import { type LogChunk, renderRunLog, renderStepLog, splitText } from './log-item.js';

function chunk(stepKey: string, attempt: number, text: string, at = 0): LogChunk {
  return { stepKey, attempt, chunk: 1, text, at };
}

describe('splitText', () => {
  it('leaves a short text whole', () => {
    expect(splitText('héllo', 10)).toEqual(['héllo']);
  });

  it('cuts at most maxBytes of UTF-8 per piece, never inside a character, and loses nothing', () => {
    const text = 'aé✓😀'.repeat(50);
    const pieces = splitText(text, 7);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(7);
      expect(piece).not.toContain('\uFFFD');
    }
  });
});

describe('renderStepLog / renderRunLog', () => {
  it('puts a header before each attempt, on its own line', () => {
    const text = renderStepLog([chunk('b', 1, 'one'), chunk('b', 1, ' more'), chunk('b', 2, 'two\n')]);
    expect(text).toBe('==> b (attempt 1) <==\none more\n==> b (attempt 2) <==\ntwo\n');
  });

  it('orders a run by when each key began logging, each ending in a newline', () => {
    const chunks = [chunk('a', 1, 'late', 30), chunk('z', 1, 'early\n', 10), chunk('z', 2, 'again', 40)];
    expect(renderRunLog(chunks)).toBe(
      '==> z (attempt 1) <==\nearly\n==> z (attempt 2) <==\nagain\n==> a (attempt 1) <==\nlate\n',
    );
    expect(renderRunLog([])).toBe('');
  });
});
