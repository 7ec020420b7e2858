import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

import { describe, expect, test } from '@jest/globals';
import ts from 'typescript';

import { DEFAULT_SOURCE_LIMITS, type SourceLimits } from './source-limits.js';
import { checkValueLimits } from './value-limits.js';

const limits = (overrides: Partial<SourceLimits>): SourceLimits => ({ ...DEFAULT_SOURCE_LIMITS, ...overrides });

/** `depth` arrays nested in one another: nest(1) is `[]`, nest(3) is `[[[]]]`. */
function nest(depth: number, innermost: unknown[] = []): unknown[] {
  let value = innermost;
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('checkValueLimits: alias expansion', () => {
  // { a: 1, b: 2 } is 3 nodes: the mapping and its two scalars.
  const shared = { a: 1, b: 2 };
  const stepsSharing = (references: number) => ({
    name: 'x',
    steps: Array.from({ length: references }, (_, i) => ({ id: `s${i}`, retry: shared })),
  });

  test('N references to a shared object add (N - 1) times its size', () => {
    // 4 references: 3 repeats × 3 nodes = 9, exactly the limit.
    expect(checkValueLimits(stepsSharing(4), limits({ maxAliasExpansion: 9 }))).toBeUndefined();
    expect(checkValueLimits(stepsSharing(3), limits({ maxAliasExpansion: 9 }))).toBeUndefined();
    // 5 references: 12 > 9, crossed by the fifth occurrence.
    expect(checkValueLimits(stepsSharing(5), limits({ maxAliasExpansion: 9 }))).toEqual({
      code: 'yaml-alias-limit',
      path: ['steps', 4, 'retry'],
    });
    // One node less of allowance and the fourth occurrence crosses it.
    expect(checkValueLimits(stepsSharing(4), limits({ maxAliasExpansion: 8 }))).toEqual({
      code: 'yaml-alias-limit',
      path: ['steps', 3, 'retry'],
    });
  });

  test('a single reference is no expansion at all', () => {
    expect(checkValueLimits(stepsSharing(1), limits({ maxAliasExpansion: 0 }))).toBeUndefined();
    expect(checkValueLimits(stepsSharing(2), limits({ maxAliasExpansion: 0 }))).toEqual({
      code: 'yaml-alias-limit',
      path: ['steps', 1, 'retry'],
    });
  });

  test('a repeated object counts with the aliases inside it expanded ("billion laughs")', () => {
    const inner = [1, 2]; // 3 nodes
    const outer = [inner, inner]; // 1 + 3 + 3 = 7 nodes expanded; its second `inner` adds 3
    const root = [outer, outer]; // the second `outer` adds 7: 10 in all
    expect(checkValueLimits(root, limits({ maxAliasExpansion: 10 }))).toBeUndefined();
    expect(checkValueLimits(root, limits({ maxAliasExpansion: 9 }))).toEqual({ code: 'yaml-alias-limit', path: [1] });
    expect(checkValueLimits(root, limits({ maxAliasExpansion: 2 }))).toEqual({
      code: 'yaml-alias-limit',
      path: [0, 1],
    });
  });

  test('distinct objects with equal contents are not aliases', () => {
    const root = Array.from({ length: 50 }, () => ({ a: 1, b: 2 }));
    expect(checkValueLimits(root, limits({ maxAliasExpansion: 0 }))).toBeUndefined();
  });

  test('the default limit lets a retry block be shared by thousands of steps', () => {
    // 5,000 references to a 6-node block: 29,994 expanded nodes, well under 100,000.
    const retry = { max_attempts: 3, backoff: 'fixed', initial_delay: '1s', max_delay: '5s', jitter: true };
    const root = { steps: Array.from({ length: 5000 }, () => ({ retry })) };
    expect(checkValueLimits(root, DEFAULT_SOURCE_LIMITS)).toBeUndefined();
    const more = { steps: Array.from({ length: 20_000 }, () => ({ retry })) };
    expect(checkValueLimits(more, DEFAULT_SOURCE_LIMITS)).toEqual({
      code: 'yaml-alias-limit',
      // 100,000 / 6 = 16,666.7: the 16,668th occurrence (index 16,667) crosses it.
      path: ['steps', 16_667, 'retry'],
    });
  });
});

describe('checkValueLimits: depth', () => {
  // Depth counts mappings and sequences on the longest path, scalars not:
  // `{}` is 1 level, `{ a: { b: 1 } }` is 2.
  test('nesting exactly at maxDepth passes; one level more fails', () => {
    expect(checkValueLimits(nest(3), limits({ maxDepth: 3 }))).toBeUndefined();
    expect(checkValueLimits({ a: { b: [1, 'x', null] } }, limits({ maxDepth: 3 }))).toBeUndefined();
    expect(checkValueLimits(nest(4), limits({ maxDepth: 3 }))).toEqual({ code: 'yaml-too-deep', path: [0, 0, 0] });
    expect(checkValueLimits({ a: { b: [[1]] } }, limits({ maxDepth: 3 }))).toEqual({
      code: 'yaml-too-deep',
      path: ['a', 'b', 0],
    });
  });

  test('the path is that of the first node, counting from the top, past maxDepth', () => {
    // root 1, a 2, b 3: b's first element is the fourth level.
    expect(checkValueLimits({ a: { b: nest(4) } }, limits({ maxDepth: 3 }))).toEqual({
      code: 'yaml-too-deep',
      path: ['a', 'b', 0],
    });
    expect(checkValueLimits({ a: { b: nest(6) } }, limits({ maxDepth: 3 }))).toEqual({
      code: 'yaml-too-deep',
      path: ['a', 'b', 0],
    });
    // A shallow sibling walked first does not matter.
    expect(checkValueLimits({ ok: [[1]], list: [{ fine: 1 }, { bad: nest(4) }] }, limits({ maxDepth: 3 }))).toEqual({
      code: 'yaml-too-deep',
      path: ['list', 1, 'bad'],
    });
  });

  test('an object met again counts with its full depth', () => {
    const shared = nest(2, [1]); // 2 levels
    // root, b, c: 3 levels; d holds shared's 2 more: 5 in all.
    const root = { a: shared, b: { c: { d: shared } } };
    expect(checkValueLimits(root, limits({ maxDepth: 5 }))).toBeUndefined();
    expect(checkValueLimits(root, limits({ maxDepth: 4 }))).toEqual({ code: 'yaml-too-deep', path: ['b', 'c', 'd'] });
  });

  test('the default limit is 64 levels', () => {
    expect(checkValueLimits(nest(64), DEFAULT_SOURCE_LIMITS)).toBeUndefined();
    expect(checkValueLimits(nest(65), DEFAULT_SOURCE_LIMITS)).toEqual({
      code: 'yaml-too-deep',
      path: Array<number>(64).fill(0),
    });
  });
});

describe('checkValueLimits: cycles', () => {
  test('an object containing itself is a recursive alias at the back-reference', () => {
    const self: Record<string, unknown> = { name: 'x' };
    self['self'] = self;
    expect(checkValueLimits(self, DEFAULT_SOURCE_LIMITS)).toEqual({ code: 'yaml-recursive-alias', path: ['self'] });
  });

  test('a cycle through an array is reported at the array element', () => {
    const list: unknown[] = [1];
    const root = { metadata: { list } };
    list.push(root.metadata);
    expect(checkValueLimits(root, DEFAULT_SOURCE_LIMITS)).toEqual({
      code: 'yaml-recursive-alias',
      path: ['metadata', 'list', 1],
    });
  });

  test('an array containing itself', () => {
    const list: unknown[] = ['a'];
    list.push(list);
    expect(checkValueLimits(list, DEFAULT_SOURCE_LIMITS)).toEqual({ code: 'yaml-recursive-alias', path: [1] });
  });

  test('a cycle is reported even when the alias limit would allow anything', () => {
    const self: Record<string, unknown> = {};
    self['again'] = [self];
    expect(checkValueLimits(self, { maxBytes: Infinity, maxDepth: Infinity, maxAliasExpansion: Infinity })).toEqual({
      code: 'yaml-recursive-alias',
      path: ['again', 0],
    });
  });

  test('an object shared by siblings (a DAG, not a cycle) is no recursion', () => {
    const shared = { x: 1 };
    expect(checkValueLimits({ a: shared, b: [shared, { c: shared }] }, DEFAULT_SOURCE_LIMITS)).toBeUndefined();
  });
});

describe('checkValueLimits: trivial roots', () => {
  test.each([null, undefined, 0, 42, 'text', true, false])('%p passes', (root) => {
    expect(checkValueLimits(root, limits({ maxDepth: 0, maxAliasExpansion: 0 }))).toBeUndefined();
  });

  test('an empty mapping is one level', () => {
    expect(checkValueLimits({}, limits({ maxDepth: 1 }))).toBeUndefined();
    expect(checkValueLimits({}, limits({ maxDepth: 0 }))).toEqual({ code: 'yaml-too-deep', path: [] });
  });
});

/**
 * Runs checkValueLimits on `depth` nested arrays in a worker thread with a
 * bounded heap and a deadline, so a walk that runs out of memory or time
 * fails the test instead of the test process.
 */
function checkDeepInWorker(
  depth: number,
  deadlineMs: number,
): Promise<{ code: string; allZero: boolean } | { failure: string }> {
  const source = readFileSync(fileURLToPath(new URL('./value-limits.ts', import.meta.url)), 'utf8');
  const compiled = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const mod = {};
    (function (exports) { ${compiled} })(mod);
    let value = [];
    for (let i = 1; i < workerData.depth; i++) value = [value];
    const result = mod.checkValueLimits(value, workerData.limits);
    parentPort.postMessage(result === undefined ? { failure: 'passed' } : {
      code: result.code,
      allZero: result.path.every((key) => key === 0),
    });
  `;
  return new Promise((resolve) => {
    const worker = new Worker(code, {
      eval: true,
      workerData: { depth, limits: DEFAULT_SOURCE_LIMITS },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ failure: `still running after ${deadlineMs} ms` });
    }, deadlineMs);
    worker.on('message', (message: { code: string; allZero: boolean } | { failure: string }) => {
      clearTimeout(timer);
      resolve(message);
      void worker.terminate();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      clearTimeout(timer);
      resolve({ failure: error.code ?? error.message });
    });
  });
}

describe('checkValueLimits: hostile depth', () => {
  test('1,000 nested arrays: yaml-too-deep (the harness below works)', async () => {
    expect(await checkDeepInWorker(1000, 20_000)).toEqual({ code: 'yaml-too-deep', allZero: true });
  }, 30_000);

  // Depth is checked on the way down, so the walk never goes past the limit:
  // this once exhausted memory (the walk reached the bottom first, copying paths).
  test('100,000 nested arrays: yaml-too-deep, without exhausting stack, heap or patience', async () => {
    expect(await checkDeepInWorker(100_000, 20_000)).toEqual({ code: 'yaml-too-deep', allZero: true });
  }, 30_000);
});
