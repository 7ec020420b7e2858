import { describe, expect, test } from '@jest/globals';

import { DiagnosticSink } from '../diagnostics.js';
import { parseSource } from './parse-source.js';
import { SourcePositions, type ValuePath } from './source-positions.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;

/** Whether the `yaml` document has been built (a private field: reading it is this test's one liberty). */
const built = (positions: SourcePositions): boolean =>
  (positions as unknown as { parsed?: unknown }).parsed !== undefined;

// Columns are 1-based; the comment on each line is its number.
const WORKFLOW = lines(
  'name: demo', //                 1
  'metadata:', //                  2
  '  shared: &retry', //           3
  '    max_attempts: 3', //        4
  '    backoff: fixed', //         5
  '  other: &envs', //             6
  '    A: one', //                 7
  'steps:', //                     8
  '  - id: build', //              9
  '    type: shell', //            10
  '    run: make all', //          11
  '    needs: [lint, test]', //    12
  '  - <<: *retry', //             13
  '    id: lint', //               14
  '    type: shell', //            15
  '    run: make lint', //         16
  '    env: *envs', //             17
);

const span = (line: number, column: number, endLine: number, endColumn: number) => ({
  line,
  column,
  endLine,
  endColumn,
});

describe('SourcePositions: valueSpan and keySpan', () => {
  const positions = new SourcePositions(WORKFLOW);

  test.each<[string, ValuePath, ReturnType<typeof span>, ReturnType<typeof span>]>([
    ['a top-level scalar', ['name'], span(1, 7, 1, 11), span(1, 1, 1, 5)],
    ['a scalar in a step', ['steps', 0, 'run'], span(11, 10, 11, 18), span(11, 5, 11, 8)],
    ['the first key of a sequence item', ['steps', 0, 'id'], span(9, 9, 9, 14), span(9, 5, 9, 7)],
    ['a nested mapping value', ['metadata', 'shared', 'backoff'], span(5, 14, 5, 19), span(5, 5, 5, 12)],
    ['a key after a merge key', ['steps', 1, 'id'], span(14, 9, 14, 13), span(14, 5, 14, 7)],
  ])('%s', (_, path, value, key) => {
    expect(positions.valueSpan(path)).toEqual(value);
    expect(positions.keySpan(path)).toEqual(key);
  });

  test('an item of a flow sequence: the key span of an item is the item', () => {
    expect(positions.valueSpan(['steps', 0, 'needs', 0])).toEqual(span(12, 13, 12, 17));
    expect(positions.valueSpan(['steps', 0, 'needs', 1])).toEqual(span(12, 19, 12, 23));
    expect(positions.keySpan(['steps', 0, 'needs', 1])).toEqual(span(12, 19, 12, 23));
  });

  test('a path that does not exist falls back to its nearest existing ancestor', () => {
    const step0 = positions.valueSpan(['steps', 0]);
    expect(step0).toMatchObject({ line: 9, column: 5 });
    expect(positions.valueSpan(['steps', 0, 'nope'])).toEqual(step0);
    expect(positions.valueSpan(['steps', 0, 'nope', 'deeper', 3])).toEqual(step0);
    // keySpan of a missing key points at the same ancestor, not at some key.
    expect(positions.keySpan(['steps', 0, 'nope'])).toEqual(step0);
    // An index past the end of a sequence: the sequence.
    expect(positions.valueSpan(['steps', 7])).toMatchObject({ line: 9, column: 3 });
    // A numeric segment on a mapping or a name on a sequence: no such child.
    expect(positions.valueSpan(['steps', 'build'])).toEqual(positions.valueSpan(['steps']));
    expect(positions.valueSpan(['nothing'])).toMatchObject({ line: 1, column: 1 });
  });

  test('a path through an alias continues in the anchored node', () => {
    expect(positions.valueSpan(['steps', 1, 'env', 'A'])).toEqual(span(7, 8, 7, 11));
    expect(positions.keySpan(['steps', 1, 'env', 'A'])).toEqual(span(7, 5, 7, 6));
    // A path that ends at the alias points at the alias, where it is used.
    expect(positions.valueSpan(['steps', 1, 'env'])).toEqual(span(17, 10, 17, 15));
  });

  // Regression: yaml 2.9 holds the `<<` key as Symbol(<<), and merged keys
  // were once never found (a bad `timeout` shared by `<<: *common` pointed at the step).
  test('keys reached through a merge key (`<<: *retry`) point into the anchored map', () => {
    expect(positions.valueSpan(['steps', 1, 'max_attempts'])).toEqual(span(4, 19, 4, 20));
    expect(positions.keySpan(['steps', 1, 'max_attempts'])).toEqual(span(4, 5, 4, 17));
    expect(positions.valueSpan(['steps', 1, 'backoff'])).toEqual(span(5, 14, 5, 19));
  });

  const LIST_MERGE = lines(
    'a: &a { x: 1 }', //                      1
    'b: &b { x: 2, y: 3 }', //                2
    'c:', //                                  3
    '  <<: [*a, *b]', //                      4
    '  z: 4', //                              5
  );

  test('a key written beside a merge key is found as usual', () => {
    expect(new SourcePositions(LIST_MERGE).valueSpan(['c', 'z'])).toEqual(span(5, 6, 5, 7));
  });

  // Same bug as above.
  test('merged keys from a list of maps: the first map that has the key wins', () => {
    const merged = new SourcePositions(LIST_MERGE);
    expect(merged.valueSpan(['c', 'x'])).toEqual(span(1, 12, 1, 13));
    expect(merged.valueSpan(['c', 'y'])).toEqual(span(2, 18, 2, 19));
  });

  // Regression: a key without a value has no value node; it once pointed at 1:1.
  test('a key with no value in a flow mapping is placed on its own line', () => {
    const text = lines('name: x', 'inputs: { repo }');
    expect(new SourcePositions(text).valueSpan(['inputs', 'repo']).line).toBe(2);
  });

  test('a key with no value in a block mapping is placed just after its colon', () => {
    const text = lines('name: x', 'inputs:', 'steps: []');
    const positions = new SourcePositions(text);
    expect(positions.valueSpan(['inputs'])).toEqual(span(2, 8, 2, 8));
    expect(positions.keySpan(['inputs'])).toEqual(span(2, 1, 2, 7));
  });
});

describe('SourcePositions: aliasAt', () => {
  const positions = new SourcePositions(WORKFLOW);

  test('the anchor name when the value at the path is written as an alias', () => {
    expect(positions.aliasAt(['steps', 1, 'env'])).toBe('envs');
  });

  test.each<[string, ValuePath]>([
    ['an anchored node (not an alias)', ['metadata', 'other']],
    ['a value inside an alias', ['steps', 1, 'env', 'A']],
    ['a plain scalar', ['name']],
    ['a path that does not exist under an alias', ['steps', 1, 'env', 'B']],
    ['a path that does not exist at all', ['nope']],
    ['the root', []],
  ])('undefined for %s', (_, path) => {
    expect(positions.aliasAt(path)).toBeUndefined();
  });

  test('an alias in a sequence', () => {
    const text = lines('a: &first 1', 'list: [0, *first]');
    expect(new SourcePositions(text).aliasAt(['list', 1])).toBe('first');
    expect(new SourcePositions(text).aliasAt(['list', 0])).toBeUndefined();
  });
});

describe('SourcePositions: templateSpan', () => {
  const TEMPLATES = lines(
    'plain: echo {{inputs.a}}', //          1
    'dq: "echo {{inputs.a}}"', //           2
    "sq: 'echo {{inputs.a}}'", //           3
    'lit: |', //                            4
    '  first line', //                      5
    '  x {{inputs.a}}', //                  6
    'fold: >', //                           7
    '  first line', //                      8
    '  x {{inputs.a}}', //                  9
    'esc: "a\\tb {{inputs.a}}"', //         10
    'anchored: &cmd run {{inputs.a}}', //   11
    'aliased: *cmd', //                     12
    'blank: |', //                          13
    '', //                                  14
    '    x {{inputs.a}}', //                15
    'ind: |2', //                           16
    '    x {{inputs.a}}', //                17
    '  y {{inputs.a}}', //                  18
  );
  const positions = new SourcePositions(TEMPLATES);
  const value = positions.document.toJS() as Record<string, string>;
  const at = (line: number, column: number) => span(line, column, line, column);

  test('the values are what the templates hold', () => {
    expect(value['plain']).toBe('echo {{inputs.a}}');
    expect(value['dq']).toBe('echo {{inputs.a}}');
    expect(value['sq']).toBe('echo {{inputs.a}}');
    expect(value['lit']).toBe('first line\nx {{inputs.a}}\n');
    expect(value['fold']).toBe('first line x {{inputs.a}}\n');
    expect(value['esc']).toBe('a\tb {{inputs.a}}');
    expect(value['blank']).toBe('\nx {{inputs.a}}\n');
    expect(value['ind']).toBe('  x {{inputs.a}}\ny {{inputs.a}}\n');
  });

  test('a plain scalar: exact', () => {
    // `{{` is at template column 5; the value starts at column 8.
    expect(positions.templateSpan(['plain'], value['plain']!, { line: 1, column: 5 })).toEqual(at(1, 13));
    expect(positions.templateSpan(['plain'], value['plain']!, { line: 1, column: 0 })).toEqual(at(1, 8));
  });

  test('a double-quoted scalar: exact, past the quote', () => {
    expect(positions.templateSpan(['dq'], value['dq']!, { line: 1, column: 5 })).toEqual(at(2, 11));
  });

  test('a single-quoted scalar: exact, past the quote', () => {
    expect(positions.templateSpan(['sq'], value['sq']!, { line: 1, column: 5 })).toEqual(at(3, 11));
  });

  test('line N of a literal block scalar: exact', () => {
    expect(positions.templateSpan(['lit'], value['lit']!, { line: 1, column: 0 })).toEqual(at(5, 3));
    expect(positions.templateSpan(['lit'], value['lit']!, { line: 2, column: 2 })).toEqual(at(6, 5));
  });

  test('a scalar reached through an alias: exact, in the anchored text', () => {
    // `anchored: &cmd ` is 15 characters; the template `run {{inputs.a}}` starts at 16.
    expect(positions.templateSpan(['aliased'], 'run {{inputs.a}}', { line: 1, column: 4 })).toEqual(at(11, 20));
  });

  test('a folded scalar (>) falls back to the scalar start', () => {
    const start = positions.valueSpan(['fold']);
    expect(start).toMatchObject({ line: 7, column: 7 });
    expect(positions.templateSpan(['fold'], value['fold']!, { line: 1, column: 13 })).toEqual(start);
  });

  test('a double-quoted scalar with an escape before the expression falls back to the scalar start', () => {
    const start = positions.valueSpan(['esc']);
    expect(start).toEqual(span(10, 6, 10, 25));
    expect(positions.templateSpan(['esc'], value['esc']!, { line: 1, column: 4 })).toEqual(start);
  });

  test('a place past line 1 of a flow scalar falls back to the scalar start', () => {
    expect(positions.templateSpan(['plain'], value['plain']!, { line: 2, column: 0 })).toEqual(
      positions.valueSpan(['plain']),
    );
  });

  test('a path that is not a scalar falls back to valueSpan', () => {
    expect(positions.templateSpan(['missing'], 'x', { line: 1, column: 0 })).toEqual(positions.valueSpan([]));
  });

  // Regression: YAML takes a block's indentation from its first non-blank line;
  // a blank first line once shifted every column left.
  test('a literal block scalar that starts with a blank line: exact', () => {
    // Line 15 is `    x {{inputs.a}}`: the content is indented 4, `{{` is at template column 2.
    expect(positions.templateSpan(['blank'], value['blank']!, { line: 2, column: 2 })).toEqual(at(15, 7));
  });

  // With an indicator (`|2`) the indentation is the parent's plus N, not the first line's.
  test('a literal block scalar with an indentation indicator: exact', () => {
    expect(positions.templateSpan(['ind'], value['ind']!, { line: 1, column: 4 })).toEqual(at(17, 7));
    expect(positions.templateSpan(['ind'], value['ind']!, { line: 2, column: 2 })).toEqual(at(18, 5));
  });
});

describe('SourcePositions: spanOfOffsets', () => {
  test('offsets become 1-based lines and columns; an end before the start is the start', () => {
    const positions = new SourcePositions('ab\ncd\n');
    expect(positions.spanOfOffsets(0, 2)).toEqual(span(1, 1, 1, 3));
    expect(positions.spanOfOffsets(3, 5)).toEqual(span(2, 1, 2, 3));
    expect(positions.spanOfOffsets(4, 1)).toEqual(span(2, 2, 2, 2));
  });
});

describe('SourcePositions: the yaml document is built lazily', () => {
  test('not at construction; once, on the first lookup', () => {
    const positions = new SourcePositions(WORKFLOW);
    expect(built(positions)).toBe(false);
    expect(positions.valueSpan(['name'])).toEqual(span(1, 7, 1, 11));
    expect(built(positions)).toBe(true);
    const document = positions.document;
    expect(positions.document).toBe(document);
    positions.valueSpan(['steps', 0]);
    positions.aliasAt(['steps', 1, 'env']);
    expect(positions.document).toBe(document);
  });

  test('not even for text the yaml package would refuse, until asked', () => {
    const positions = new SourcePositions('a: [unclosed\n');
    expect(built(positions)).toBe(false);
    expect(positions.document.errors.length).toBeGreaterThan(0);
    expect(built(positions)).toBe(true);
  });

  test('parseSource on a valid workflow leaves it unbuilt', () => {
    const sink = new DiagnosticSink('w.yaml');
    const parsed = parseSource(WORKFLOW, sink);
    expect(sink.items).toEqual([]);
    expect(parsed?.value['name']).toBe('demo');
    expect(built(parsed!.positions)).toBe(false);
  });

  test('parseSource places a limit violation, which needs the document', () => {
    const sink = new DiagnosticSink('w.yaml');
    const text = lines('name: x', 'metadata: &m', '  self: *m');
    expect(parseSource(text, sink)).toBeUndefined();
    expect(sink.items).toMatchObject([{ code: 'yaml-recursive-alias', line: 3, column: 9 }]);
  });
});
