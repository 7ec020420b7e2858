import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import Handlebars from 'handlebars';

import { parseSimpleTemplate } from './parse-simple-template.js';

/**
 * The fast parser must be indistinguishable from Handlebars' own: for every
 * template it accepts, the same tree, positions included. Templates are drawn
 * from a grammar that mixes the simple subset with everything the fast parser
 * must hand back (blocks, escapes, hashes, odd whitespace).
 */
const segment = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,6}$/);
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
const literal = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ min: -100, max: 100, noNaN: true }).map((n) => n.toFixed(2)),
  fc.stringMatching(/^[a-z ]{0,5}$/).map((s) => `"${s}"`),
  fc.stringMatching(/^[a-z]{0,5}$/).map((s) => `'${s}'`),
  fc.constantFrom('true', 'false', 'null', 'undefined'),
);
const space = fc.constantFrom('', ' ', '  ', '\n', '\t');
const gap = fc.constantFrom(' ', '  ', '\n');
/** A helper argument: a path, a literal, or a sub-expression `(helper args…)`, nested. */
const param: fc.Arbitrary<string> = fc.letrec<{ param: string }>((tie) => ({
  param: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    path,
    literal,
    fc
      .tuple(space, path, fc.array(fc.tuple(gap, tie('param')), { maxLength: 2 }), space)
      .map(([before, head, args, after]) => `(${before}${head}${args.map(([g, a]) => g + a).join('')}${after})`),
  ),
})).param;
const simpleMustache = fc
  .tuple(space, path, fc.array(fc.tuple(gap, param), { maxLength: 3 }), space)
  .map(([before, head, params, after]) => `{{${before}${head}${params.map(([g, p]) => g + p).join('')}${after}}}`);
const otherMustache = fc.constantFrom(
  '{{#if a}}x{{/if}}',
  '{{! comment }}',
  '{{{raw}}}',
  '{{~trim~}}',
  '{{x.[0]}}',
  '{{eq (len a)1}}',
  '{{eq (len sep=a) 1}}',
  '{{join a sep=","}}',
  '{{this.a}}',
  '{{@index}}',
  '{{../up}}',
  '\\{{escaped}}',
  '{{else}}',
  '{{"lit"}}',
  '{{a/b}}',
  '{{a "b}}',
  "{{a 'b}}",
  '{{a b"}}',
  '{{a "b"c}}',
);
const text = fc
  .stringMatching(/^[a-z {}\n.:"'#-]{0,12}$/)
  .filter((t) => !t.includes('{{') && !t.endsWith('{') && !t.startsWith('}'));
const template = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: simpleMustache },
      { weight: 1, arbitrary: otherMustache },
      { weight: 3, arbitrary: text },
    ),
    {
      maxLength: 8,
    },
  )
  .map((parts) => parts.join(''));

function handlebarsParse(source: string): hbs.AST.Program | 'error' {
  try {
    return Handlebars.parse(source);
  } catch {
    return 'error';
  }
}

describe('parseSimpleTemplate', () => {
  test('gives exactly the tree Handlebars gives, whenever it accepts a template', () => {
    fc.assert(
      fc.property(template, (source) => {
        const fast = parseSimpleTemplate(source);
        if (fast === undefined) return;
        expect(fast).toEqual(handlebarsParse(source));
      }),
      { numRuns: 3000 },
    );
  });

  test('accepts the common shapes, so the fast path is actually taken', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(simpleMustache, text), { minLength: 1, maxLength: 6 }), (parts) => {
        const source = parts.join('');
        if (handlebarsParse(source) === 'error') return;
        expect(parseSimpleTemplate(source)).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });

  test.each([
    '{{#if a}}x{{/if}}',
    '{{! comment }}',
    '{{{raw}}}',
    '{{~a}}',
    '{{eq (len a)1}}',
    '{{eq ((len) a) 1}}',
    '{{eq (len a 1}}',
    '{{eq len a) 1}}',
    '{{join a sep=","}}',
    '{{this.a}}',
    '{{@index}}',
    '{{../a}}',
    '\\{{a}}',
    '{{else}}',
    '{{"text"}}',
    '{{a',
    '{{a}}}',
    '{{eq a"b"}}',
    '{{a "b}}',
    "{{a 'b c}}",
    '{{eq a "it\'s"}}',
  ])('hands %j back to Handlebars', (source) => {
    expect(parseSimpleTemplate(source)).toBeUndefined();
  });

  test('positions across lines', () => {
    const tree = parseSimpleTemplate('line one\n  {{ steps.a.outputs.x }} and {{len b}}\n');
    expect(tree).toEqual(Handlebars.parse('line one\n  {{ steps.a.outputs.x }} and {{len b}}\n'));
    expect(parseSimpleTemplate('{{default a "not yet"}}')).toEqual(Handlebars.parse('{{default a "not yet"}}'));
    const nested = '{{gte ( default steps.a.outputs.v (len inputs.list) ) 80}}';
    expect(parseSimpleTemplate(nested)).toEqual(Handlebars.parse(nested));
    const mustache = tree!.body[1] as hbs.AST.MustacheStatement;
    expect(mustache.path.loc.start).toEqual({ line: 2, column: 5 });
  });
});
