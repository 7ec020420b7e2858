import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { parseDocument, stringify } from 'yaml';

import { parseFast } from './fast-yaml.js';
import { YAML_OPTIONS } from './source-positions.js';

/**
 * The fast parser gives the value of every valid workflow; the `yaml` package
 * gives the positions and messages. They must agree on every value, or a
 * workflow would mean one thing when valid and another when explained.
 */
function viaYaml(text: string): unknown {
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length > 0) throw new Error(doc.errors[0]!.message);
  return doc.toJS({ maxAliasCount: -1 });
}

function viaFast(text: string): unknown {
  const result = parseFast(text);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('parseFast agrees with the yaml package', () => {
  // Scalars where YAML 1.1 and 1.2 differ, and the core schema's corners.
  test.each([
    '0777',
    '007',
    '0o17',
    '0o8',
    '0x1F',
    '0xg',
    '+0x1F',
    '-0x1F',
    '1_000',
    '0b101',
    '+12',
    '-0',
    '00',
    '.5',
    '1.',
    '-1.5',
    '1e3',
    '-1E-3',
    '1.5e+3',
    '1e',
    '.inf',
    '-.Inf',
    '+.INF',
    '.NaN',
    '.nan',
    'nan',
    'inf',
    '~',
    'null',
    'Null',
    'NULL',
    'nULL',
    '',
    'true',
    'True',
    'TRUE',
    'tRue',
    'false',
    'yes',
    'no',
    'on',
    'off',
    'y',
    'n',
    '2024-01-01',
    '2024-01-01T10:00:00Z',
    '12:30:00',
    '1:20',
    '"1.5"',
    "'007'",
    '!!str 12',
    '!!int "12"',
    '!!float 1',
    '= ',
    '<<',
    'a: b',
    '"a\\tb"',
    "'it''s'",
    '|\n  block\n',
    '>\n  folded\n  text\n',
    '12345678901234567890',
  ])('value %j', (scalar) => {
    const text = `v: ${scalar}\n`;
    let expected: unknown;
    try {
      expected = viaYaml(text);
    } catch {
      expect(parseFast(text).ok).toBe(false); // the authority refuses it, so must the fast parser
      return;
    }
    // Refusing is safe (the load then reports an error); a different value never is.
    const fast = parseFast(text);
    if (fast.ok) expect(fast.value).toEqual(expected);
  });

  test('refuses only rare explicit-tag corners among those scalars', () => {
    expect(parseFast('v: !!float 1\n').ok).toBe(false);
    for (const scalar of ['0777', '1_000', '0b101', '.inf', '~', 'yes', '2024-01-01', '!!str 12', '!!int "12"']) {
      expect({ scalar, ok: parseFast(`v: ${scalar}\n`).ok }).toEqual({ scalar, ok: true });
    }
  });

  test('merge keys: explicit keys win, earlier sources win over later ones', () => {
    const text = 'x: &x {a: 1, b: 2}\nz: &z {a: 9, c: 3}\ny:\n  <<: [*x, *z]\n  b: 5\nw:\n  <<: *x\n';
    expect(viaFast(text)).toEqual(viaYaml(text));
    expect(viaFast(text)).toEqual({ x: { a: 1, b: 2 }, z: { a: 9, c: 3 }, y: { a: 1, b: 5, c: 3 }, w: { a: 1, b: 2 } });
  });

  test('every workflow file in the repository parses to the same value', () => {
    const files = [
      ...readdirSync('templates/examples').map((f) => join('templates/examples', f)),
      ...readdirSync('libs/workflow/fixtures/invalid').map((f) => join('libs/workflow/fixtures/invalid', f)),
    ].filter((f) => f.endsWith('.yaml'));
    let compared = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fast = parseFast(text);
      let expected: unknown;
      try {
        expected = viaYaml(text);
      } catch {
        expect({ file, fastAccepted: fast.ok }).toEqual({ file, fastAccepted: false });
        continue;
      }
      if (!fast.ok) continue; // unknown tags, aliases: the yaml path reports these
      expect({ file, value: fast.value }).toEqual({ file, value: expected });
      compared += 1;
    }
    expect(compared).toBeGreaterThan(50);
  });

  test('random values written in every YAML style read back the same through both', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/);
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom(
        'yes',
        'no',
        '0777',
        '1_000',
        '0b1',
        '~',
        'null',
        'True',
        '2024-01-01',
        '.inf',
        '<<',
        '- x',
        '#x',
      ),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const style = fc.record({
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      indent: fc.integer({ min: 1, max: 4 }),
    } as const);
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), style, (data, options) => {
        const text = stringify(data, options);
        expect(viaFast(text)).toEqual(viaYaml(text));
      }),
      { numRuns: 500 },
    );
  });

  test('refuses what a workflow must not contain', () => {
    for (const text of ['a: 1\na: 2\n', 'a: *nope\n', 'a: !Ref x\n', 'a: 1\n---\nb: 2\n', 'a: [1, 2\n']) {
      expect({ text, ok: parseFast(text).ok }).toEqual({ text, ok: false });
    }
  });

  test('reports where it stopped, 1-based', () => {
    const result = parseFast('a: 1\nb: [1, 2\n');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.line).toBeGreaterThanOrEqual(2);
  });
});
