import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';

import { DURATION_PATTERN, SIZE_PATTERN, parseDuration, parseSize } from './units.js';

interface PatternSchema {
  readonly type: string;
  readonly pattern: string;
}

const schema = JSON.parse(readFileSync(join(process.cwd(), 'schema', 'workflow.schema.json'), 'utf8')) as {
  $defs: Record<string, PatternSchema>;
};

describe('units and the JSON Schema', () => {
  test('DURATION_PATTERN is $defs.duration.pattern', () => {
    expect(schema.$defs['duration']).toMatchObject({ type: 'string', pattern: DURATION_PATTERN });
  });

  test('SIZE_PATTERN is $defs.size.pattern', () => {
    expect(schema.$defs['size']).toMatchObject({ type: 'string', pattern: SIZE_PATTERN });
  });
});

// Written out again on purpose: an oracle independent of units.ts, so a change
// to a unit's value there (KB = 1024, say) fails here instead of agreeing with itself.
const DURATION_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const SIZE_BYTES = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
} as const;

/** An independent reading of a duration's value, in milliseconds (may be inexact or Infinity). */
function durationTotal(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9.]+)(ms|s|m|h|d)/g)) {
    total += Number(amount) * DURATION_MS[unit as keyof typeof DURATION_MS];
  }
  return Math.round(total);
}

function sizeTotal(text: string): number {
  const [, amount, unit] = /^([0-9.]+)(.*)$/.exec(text)!;
  return Math.round(Number(amount) * SIZE_BYTES[unit as keyof typeof SIZE_BYTES]);
}

/** Strings made of the characters that matter to the pattern, and a few that do not. */
const durationish = fc
  .array(fc.constantFrom('0', '1', '5', '9', '99999999', '.', 'm', 's', 'h', 'd', 'ms', 'x', ' ', '-', 'M', 'S'), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

/** Well-formed durations, including amounts far too large to be exact in milliseconds. */
const durationParts = fc.array(
  fc.tuple(
    fc.stringMatching(/^[0-9]{1,24}$/),
    fc.option(fc.stringMatching(/^[0-9]{1,4}$/), { nil: undefined }),
    fc.constantFrom(...(Object.keys(DURATION_MS) as (keyof typeof DURATION_MS)[])),
  ),
  { minLength: 1, maxLength: 4 },
);

describe('the schema pattern accepts what the parser accepts', () => {
  const durationRe = new RegExp(DURATION_PATTERN);
  const sizeRe = new RegExp(SIZE_PATTERN);

  test('durations: the pattern matches exactly when parseDuration gives a value, but for values too large', () => {
    fc.assert(
      fc.property(fc.oneof(durationish, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const parsed = parseDuration(text);
        if (durationRe.test(text)) {
          const total = durationTotal(text);
          expect(parsed).toBe(total > Number.MAX_SAFE_INTEGER ? undefined : total);
        } else {
          expect(parsed).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('well-formed durations parse unless they are too large to be exact', () => {
    fc.assert(
      fc.property(durationParts, (parts) => {
        const text = parts
          .map(([whole, fraction, unit]) => `${whole}${fraction === undefined ? '' : `.${fraction}`}${unit}`)
          .join('');
        expect(durationRe.test(text)).toBe(true);
        const total = parts.reduce(
          (sum, [whole, fraction, unit]) => sum + Number(`${whole}.${fraction ?? '0'}`) * DURATION_MS[unit],
          0,
        );
        const parsed = parseDuration(text);
        if (Math.round(total) > Number.MAX_SAFE_INTEGER) {
          expect(parsed).toBeUndefined();
        } else {
          expect(parsed).toBe(Math.round(total));
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('sizes: the pattern matches exactly when parseSize gives a value, but for values too large', () => {
    const sizeish = fc
      .array(fc.constantFrom('0', '1', '7', '9999999', '.', 'B', 'K', 'M', 'G', 'T', 'i', 'KiB', 'MB', 'b', ' '), {
        maxLength: 10,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(sizeish, fc.string()), (text) => {
        const parsed = parseSize(text);
        if (sizeRe.test(text)) {
          const total = sizeTotal(text);
          expect(parsed).toBe(total > Number.MAX_SAFE_INTEGER ? undefined : total);
        } else {
          expect(parsed).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,20}(\.[0-9]{1,3})?$/),
        fc.constantFrom(...(Object.keys(SIZE_BYTES) as (keyof typeof SIZE_BYTES)[])),
        (amount, unit) => {
          const text = `${amount}${unit}`;
          expect(sizeRe.test(text)).toBe(true);
          const bytes = Math.round(Number(amount) * SIZE_BYTES[unit]);
          expect(parseSize(text)).toBe(bytes > Number.MAX_SAFE_INTEGER ? undefined : bytes);
        },
      ),
      { numRuns: 2000 },
    );
  });

  test.each(['1h30m', '250ms', '1.5s', '0s', '7d'])('%s matches and parses', (text) => {
    expect(durationRe.test(text)).toBe(true);
    expect(parseDuration(text)).toEqual(expect.any(Number));
  });

  test('a duration too large to be exact matches the pattern but does not parse', () => {
    expect(durationRe.test('99999999999999d')).toBe(true);
    expect(parseDuration('99999999999999d')).toBeUndefined();
    expect(sizeRe.test('99999999TiB')).toBe(true);
    expect(parseSize('99999999TiB')).toBeUndefined();
  });
});
