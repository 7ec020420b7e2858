import { describe, expect, test } from '@jest/globals';

import { Dag, type DagEdge } from './dag.js';

function edges(...pairs: [string, string][]): DagEdge[] {
  return pairs.map(([from, to]) => ({ from, to }));
}

function built(ids: readonly string[], list: readonly DagEdge[]): Dag {
  const result = Dag.build(ids, list);
  if (!result.ok) throw new Error(`unexpected cycles: ${JSON.stringify(result.cycles)}`);
  return result.dag;
}

function cyclesOf(ids: readonly string[], list: readonly DagEdge[]): string[][] {
  const result = Dag.build(ids, list);
  if (result.ok) throw new Error('expected the graph to be rejected as cyclic');
  return result.cycles;
}

function chainIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `s${i}`);
}

/** Index of the first difference between two long arrays, or -1 (cheaper than toEqual on 100,000 items). */
function firstDifference(actual: readonly string[], expected: readonly string[]): number {
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length; i++) if (actual[i] !== expected[i]) return i;
  return -1;
}

function chainEdges(ids: readonly string[]): DagEdge[] {
  return ids.slice(1).map((to, i) => ({ from: ids[i]!, to }));
}

describe('Dag on a diamond', () => {
  // a → b → d, a → c → d
  const dag = built(['a', 'b', 'c', 'd'], edges(['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']));

  test('topological order', () => {
    expect(dag.order).toEqual(['a', 'b', 'c', 'd']);
    expect(dag.size).toBe(4);
  });

  test('parents and children', () => {
    expect(dag.parents('a')).toEqual([]);
    expect(dag.parents('b')).toEqual(['a']);
    expect(dag.parents('c')).toEqual(['a']);
    expect(dag.parents('d')).toEqual(['b', 'c']);
    expect(dag.children('a')).toEqual(['b', 'c']);
    expect(dag.children('b')).toEqual(['d']);
    expect(dag.children('d')).toEqual([]);
  });

  test('roots and leaves', () => {
    expect(dag.roots()).toEqual(['a']);
    expect(dag.leaves()).toEqual(['d']);
  });

  test('isAncestor', () => {
    expect(dag.isAncestor('a', 'b')).toBe(true);
    expect(dag.isAncestor('a', 'd')).toBe(true);
    expect(dag.isAncestor('b', 'd')).toBe(true);
    expect(dag.isAncestor('d', 'a')).toBe(false);
    expect(dag.isAncestor('b', 'c')).toBe(false);
    expect(dag.isAncestor('c', 'b')).toBe(false);
    for (const id of ['a', 'b', 'c', 'd']) expect(dag.isAncestor(id, id)).toBe(false);
  });

  test('ancestors and descendants', () => {
    expect(dag.ancestors('d')).toEqual(['a', 'b', 'c']);
    expect(dag.ancestors('b')).toEqual(['a']);
    expect(dag.ancestors('a')).toEqual([]);
    expect(dag.descendants('a')).toEqual(['b', 'c', 'd']);
    expect(dag.descendants('c')).toEqual(['d']);
    expect(dag.descendants('d')).toEqual([]);
  });

  test('has, and unknown ids throw', () => {
    expect(dag.has('a')).toBe(true);
    expect(dag.has('z')).toBe(false);
    expect(() => dag.parents('z')).toThrow(/unknown step "z"/);
    expect(() => dag.isAncestor('a', 'z')).toThrow(/unknown step "z"/);
  });
});

describe('Dag on a diamond declared bottom-up', () => {
  // Same edges, declared d, c, b, a: the order must still respect the edges,
  // and break the b/c tie by declaration (c first).
  const dag = built(['d', 'c', 'b', 'a'], edges(['a', 'b'], ['a', 'c'], ['b', 'd'], ['c', 'd']));

  test('order, roots, leaves', () => {
    expect(dag.order).toEqual(['a', 'c', 'b', 'd']);
    expect(dag.roots()).toEqual(['a']);
    expect(dag.leaves()).toEqual(['d']);
  });

  test('ancestors and descendants come in topological order', () => {
    expect(dag.ancestors('d')).toEqual(['a', 'c', 'b']);
    expect(dag.descendants('a')).toEqual(['c', 'b', 'd']);
  });
});

describe('stable order', () => {
  test('without edges the order is the declaration order', () => {
    const ids = ['zeta', 'alpha', 'mu', 'beta'];
    expect(built(ids, []).order).toEqual(ids);
  });

  test('follows the declaration wherever dependencies allow', () => {
    // x waits for b; everything else is free.
    expect(built(['x', 'a', 'y', 'b', 'z'], edges(['b', 'x'])).order).toEqual(['a', 'y', 'b', 'x', 'z']);
  });

  test('a step freed later goes before later-declared ready steps', () => {
    // c waits for a; once a is done, c (declared before d) jumps ahead of d.
    const dag = built(['b', 'c', 'a', 'd'], edges(['a', 'c']));
    expect(dag.order).toEqual(['b', 'a', 'c', 'd']);
    expect(dag.roots()).toEqual(['b', 'a', 'd']);
    expect(dag.leaves()).toEqual(['b', 'c', 'd']);
  });
});

describe('build', () => {
  test('duplicate edges are harmless', () => {
    const dag = built(['a', 'b', 'c'], edges(['a', 'b'], ['a', 'b'], ['b', 'c'], ['a', 'b'], ['b', 'c']));
    expect(dag.order).toEqual(['a', 'b', 'c']);
    expect(dag.parents('b')).toEqual(['a']);
    expect(dag.children('a')).toEqual(['b']);
    expect(dag.children('b')).toEqual(['c']);
    expect(dag.criticalPath()).toEqual({ path: ['a', 'b', 'c'], length: 3 });
  });

  test('an edge naming an unknown id throws', () => {
    expect(() => Dag.build(['a', 'b'], edges(['a', 'ghost']))).toThrow(/ghost.*unknown step/);
    expect(() => Dag.build(['a', 'b'], edges(['ghost', 'b']))).toThrow(/ghost.*unknown step/);
  });

  test('a single step with no parents', () => {
    const dag = built(['only'], []);
    expect(dag.order).toEqual(['only']);
    expect(dag.parents('only')).toEqual([]);
    expect(dag.children('only')).toEqual([]);
    expect(dag.roots()).toEqual(['only']);
    expect(dag.leaves()).toEqual(['only']);
    expect(dag.ancestors('only')).toEqual([]);
    expect(dag.descendants('only')).toEqual([]);
    expect(dag.isAncestor('only', 'only')).toBe(false);
    expect(dag.criticalPath()).toEqual({ path: ['only'], length: 1 });
  });

  test('an empty graph', () => {
    const dag = built([], []);
    expect(dag.order).toEqual([]);
    expect(dag.roots()).toEqual([]);
    expect(dag.criticalPath()).toEqual({ path: [], length: 0 });
  });
});

describe('criticalPath', () => {
  test('by count: the longest chain', () => {
    // a → b → c → d and a → e → d, plus a lone f.
    const dag = built(
      ['a', 'b', 'c', 'd', 'e', 'f'],
      edges(['a', 'b'], ['b', 'c'], ['c', 'd'], ['a', 'e'], ['e', 'd']),
    );
    expect(dag.criticalPath()).toEqual({ path: ['a', 'b', 'c', 'd'], length: 4 });
  });

  test('with weights the heaviest chain wins even with fewer steps', () => {
    // s → a → b → c (4 steps, weight 4) versus s → slow (2 steps, weight 11).
    const dag = built(['s', 'a', 'b', 'c', 'slow'], edges(['s', 'a'], ['a', 'b'], ['b', 'c'], ['s', 'slow']));
    const durations: Record<string, number> = { s: 1, a: 1, b: 1, c: 1, slow: 10 };
    expect(dag.criticalPath((id) => durations[id]!)).toEqual({ path: ['s', 'slow'], length: 11 });
    expect(dag.criticalPath()).toEqual({ path: ['s', 'a', 'b', 'c'], length: 4 });
  });

  test('with weights the heaviest parent is followed at a join', () => {
    // x and y both feed z; y is heavier, so the path runs through y.
    const dag = built(['x', 'y', 'z'], edges(['x', 'z'], ['y', 'z']));
    const durations: Record<string, number> = { x: 2, y: 5, z: 1 };
    expect(dag.criticalPath((id) => durations[id]!)).toEqual({ path: ['y', 'z'], length: 6 });
  });
});

describe('cycles', () => {
  test('a self-loop is reported as [a, a]', () => {
    expect(cyclesOf(['a', 'b'], edges(['a', 'a'], ['a', 'b']))).toEqual([['a', 'a']]);
  });

  test('a 3-cycle starts at its earliest-declared member', () => {
    // Declared c, a, b; the edges run a → b → c → a.
    expect(cyclesOf(['c', 'a', 'b'], edges(['a', 'b'], ['b', 'c'], ['c', 'a']))).toEqual([['c', 'a', 'b', 'c']]);
  });

  test('the shortest loop through the earliest member is reported', () => {
    // Loops through c: c → a → b → d → c (4 edges) and c → a → d → c (3 edges).
    const cycles = cyclesOf(['c', 'a', 'b', 'd'], edges(['c', 'a'], ['a', 'b'], ['b', 'd'], ['d', 'c'], ['a', 'd']));
    expect(cycles).toEqual([['c', 'a', 'd', 'c']]);
    // Loops through s: s → y → z → s and s → x → s; the later-listed child must not win.
    const twoLoops = cyclesOf(['s', 'x', 'y', 'z'], edges(['s', 'x'], ['s', 'y'], ['y', 'z'], ['z', 's'], ['x', 's']));
    expect(twoLoops).toEqual([['s', 'x', 's']]);
  });

  test('two disjoint cycles are both reported, by earliest-declared member', () => {
    const ids = ['ok', 'c', 'd', 'e', 'a', 'b'];
    const cycles = cyclesOf(ids, edges(['a', 'b'], ['b', 'a'], ['c', 'd'], ['d', 'e'], ['e', 'c'], ['ok', 'a']));
    expect(cycles).toEqual([
      ['c', 'd', 'e', 'c'],
      ['a', 'b', 'a'],
    ]);
  });

  test('steps downstream of a cycle are not part of it', () => {
    expect(cyclesOf(['a', 'b', 'z'], edges(['a', 'b'], ['b', 'a'], ['b', 'z']))).toEqual([['a', 'b', 'a']]);
  });
});

describe('large graphs', () => {
  test('a 100,000-step chain builds without overflowing the stack', () => {
    const ids = chainIds(100_000);
    const dag = built(ids, chainEdges(ids));
    expect(firstDifference(dag.order, ids)).toBe(-1);
    expect(dag.parents('s99999')).toEqual(['s99998']);
    expect(dag.parents('s0')).toEqual([]);
    const { path, length } = dag.criticalPath();
    expect(length).toBe(100_000);
    expect(firstDifference(path, ids)).toBe(-1);
  });

  test('a 100,000-step chain declared in reverse still orders by the edges', () => {
    const ids = chainIds(100_000);
    const dag = built([...ids].reverse(), chainEdges(ids));
    expect(firstDifference(dag.order, ids)).toBe(-1);
  });

  test('a 200,000-step ring is reported as one cycle without overflowing the stack', () => {
    const ids = chainIds(200_000);
    const cycles = cyclesOf(ids, [...chainEdges(ids), { from: 's199999', to: 's0' }]);
    expect(cycles).toHaveLength(1);
    expect(firstDifference(cycles[0]!, [...ids, 's0'])).toBe(-1);
  });

  test('isAncestor across a 5,000-step chain', () => {
    const ids = chainIds(5_000);
    const dag = built(ids, chainEdges(ids));
    expect(dag.isAncestor('s0', 's4999')).toBe(true);
    expect(dag.isAncestor('s31', 's32')).toBe(true);
    expect(dag.isAncestor('s4999', 's0')).toBe(false);
    expect(dag.isAncestor('s2500', 's2500')).toBe(false);
    expect(dag.ancestors('s4999')).toEqual(ids.slice(0, -1));
    expect(dag.descendants('s0')).toEqual(ids.slice(1));
  });
});
