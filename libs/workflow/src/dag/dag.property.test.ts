import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';

import { Dag, type DagEdge } from './dag.js';

/**
 * Property tests: every answer of `Dag` is checked against a small, obviously
 * correct reference computed straight from the input ids and edges (never
 * from the `Dag` under test).
 */

interface Graph {
  readonly ids: readonly string[];
  readonly edges: readonly DagEdge[];
}

const RUNS = 250;

/** Ids whose string order differs from their declaration order (s10 < s2). */
function idsOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `s${i}`);
}

/**
 * A random DAG: `rank` is a random permutation of the declaration indexes,
 * and every edge goes from a lower to a higher position in `rank`, so the
 * graph is acyclic by construction while the declaration order is not a
 * topological order. Duplicate edges occur now and then.
 */
const dagArb: fc.Arbitrary<Graph> = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc
    .record({
      rank: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i),
        { minLength: n, maxLength: n },
      ),
      // size 'max': without it fast-check keeps arrays to about ten items, far too sparse.
      pairs: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 4 * n, size: 'max' }),
    })
    .map(({ rank, pairs }) => {
      const ids = idsOf(n);
      const edges = pairs
        .filter(([x, y]) => x !== y)
        .map(([x, y]) => ({ from: ids[rank[Math.min(x, y)]!]!, to: ids[rank[Math.max(x, y)]!]! }));
      return { ids, edges };
    }),
);

/**
 * A random DAG plus an edge that closes a loop (from a node back to itself or
 * to one of its ancestors), plus a few arbitrary extra edges in any direction.
 */
const cyclicArb: fc.Arbitrary<Graph> = dagArb.chain((graph) => {
  const n = graph.ids.length;
  return fc
    .record({
      node: fc.nat(n - 1),
      pick: fc.nat(),
      selfLoop: fc.integer({ min: 0, max: 7 }),
      extra: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 3 }),
    })
    .map(({ node, pick, selfLoop, extra }) => {
      const top = graph.ids[node]!;
      const below = [...reachableFrom(graph, top)];
      const bottom = below.length === 0 || selfLoop === 0 ? top : below[pick % below.length]!;
      const edges = [
        ...graph.edges,
        { from: bottom, to: top },
        ...extra.map(([x, y]) => ({ from: graph.ids[x]!, to: graph.ids[y]! })),
      ];
      return { ids: graph.ids, edges };
    });
});

// ----- reference computations, straight from the input -----

function key(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function edgeSet(graph: Graph): Set<string> {
  return new Set(graph.edges.map(({ from, to }) => key(from, to)));
}

function neighbours(graph: Graph, direction: 'children' | 'parents'): Map<string, Set<string>> {
  const map = new Map(graph.ids.map((id) => [id, new Set<string>()]));
  for (const { from, to } of graph.edges) {
    if (direction === 'children') map.get(from)!.add(to);
    else map.get(to)!.add(from);
  }
  return map;
}

/** Nodes reachable from `start` by one or more edges (includes `start` only on a loop). */
function reachableFrom(graph: Graph, start: string, direction: 'children' | 'parents' = 'children'): Set<string> {
  const next = neighbours(graph, direction);
  const seen = new Set<string>();
  const queue = [...next.get(start)!];
  for (const id of queue) seen.add(id);
  for (let head = 0; head < queue.length; head++) {
    for (const other of next.get(queue[head]!)!) {
      if (!seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return seen;
}

/** Repeatedly place the lowest-declared node whose parents are all placed; undefined on a cycle. */
function referenceOrder(graph: Graph): string[] | undefined {
  const parents = neighbours(graph, 'parents');
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < graph.ids.length) {
    const next = graph.ids.find((id) => !placed.has(id) && [...parents.get(id)!].every((p) => placed.has(p)));
    if (next === undefined) return undefined;
    placed.add(next);
    order.push(next);
  }
  return order;
}

/** Heaviest total weight of any chain of edges, by dynamic programming over a topological order. */
function referenceLongest(graph: Graph, order: readonly string[], weight: (id: string) => number): number {
  const parents = neighbours(graph, 'parents');
  const best = new Map<string, number>();
  let longest = 0;
  for (const id of order) {
    const total = Math.max(0, ...[...parents.get(id)!].map((p) => best.get(p)!)) + weight(id);
    best.set(id, total);
    longest = Math.max(longest, total);
  }
  return longest;
}

/** Number of edges on the shortest loop from `start` back to itself (undefined if none). */
function shortestLoopLength(graph: Graph, start: string): number | undefined {
  const children = neighbours(graph, 'children');
  const distance = new Map<string, number>([[start, 0]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const to of children.get(node)!) {
      if (to === start) return distance.get(node)! + 1;
      if (!distance.has(to)) {
        distance.set(to, distance.get(node)! + 1);
        queue.push(to);
      }
    }
  }
  return undefined;
}

function build(graph: Graph): Dag {
  const result = Dag.build(graph.ids, graph.edges);
  if (!result.ok) throw new Error(`a DAG was rejected: ${JSON.stringify(result.cycles)}`);
  return result.dag;
}

function expectChain(path: readonly string[], edges: ReadonlySet<string>): void {
  for (let i = 1; i < path.length; i++) expect(edges.has(key(path[i - 1]!, path[i]!))).toBe(true);
}

describe('Dag.build on random DAGs', () => {
  test('builds, and order is a topological order of every id exactly once', () => {
    fc.assert(
      fc.property(dagArb, (graph) => {
        const result = Dag.build(graph.ids, graph.edges);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const { order } = result.dag;
        expect(order).toHaveLength(graph.ids.length);
        expect([...order].sort()).toEqual([...graph.ids].sort());
        const position = new Map(order.map((id, i) => [id, i]));
        for (const { from, to } of graph.edges) expect(position.get(from)!).toBeLessThan(position.get(to)!);
      }),
      { numRuns: RUNS },
    );
  });

  test('parents, children, roots and leaves match the input edges', () => {
    fc.assert(
      fc.property(dagArb, (graph) => {
        const dag = build(graph);
        const order = referenceOrder(graph)!;
        const parents = neighbours(graph, 'parents');
        const children = neighbours(graph, 'children');
        const sorted = (list: Iterable<string>): string[] => [...list].sort();
        expect(graph.ids.map((id) => sorted(dag.parents(id)))).toEqual(graph.ids.map((id) => sorted(parents.get(id)!)));
        expect(graph.ids.map((id) => sorted(dag.children(id)))).toEqual(
          graph.ids.map((id) => sorted(children.get(id)!)),
        );
        expect(dag.roots()).toEqual(order.filter((id) => parents.get(id)!.size === 0));
        expect(dag.leaves()).toEqual(order.filter((id) => children.get(id)!.size === 0));
      }),
      { numRuns: RUNS },
    );
  });

  test('isAncestor is reachability: true along every edge, transitive, irreflexive', () => {
    fc.assert(
      fc.property(dagArb, (graph) => {
        const dag = build(graph);
        expect(graph.edges.filter(({ from, to }) => !dag.isAncestor(from, to))).toEqual([]);
        // Transitivity, one edge at a time: anything above `from` is above `to`.
        const broken = graph.edges.flatMap(({ from, to }) =>
          graph.ids.filter((x) => dag.isAncestor(x, from) && !dag.isAncestor(x, to)).map((x) => [x, from, to]),
        );
        expect(broken).toEqual([]);
        expect(graph.ids.filter((id) => dag.isAncestor(id, id))).toEqual([]);
        // Exactly reachability, pair by pair.
        const actual = graph.ids.map((a) => graph.ids.filter((b) => dag.isAncestor(a, b)));
        const expected = graph.ids.map((a) => {
          const below = reachableFrom(graph, a);
          return graph.ids.filter((b) => below.has(b));
        });
        expect(actual).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  test('ancestors and descendants match a breadth-first search, in topological order', () => {
    fc.assert(
      fc.property(dagArb, (graph) => {
        const dag = build(graph);
        const order = referenceOrder(graph)!;
        const above = graph.ids.map((id) => reachableFrom(graph, id, 'parents'));
        const below = graph.ids.map((id) => reachableFrom(graph, id, 'children'));
        expect(graph.ids.map((id) => dag.ancestors(id))).toEqual(above.map((set) => order.filter((x) => set.has(x))));
        expect(graph.ids.map((id) => dag.descendants(id))).toEqual(below.map((set) => order.filter((x) => set.has(x))));
      }),
      { numRuns: RUNS },
    );
  });

  test('criticalPath by count is a real chain as long as the longest path', () => {
    fc.assert(
      fc.property(dagArb, (graph) => {
        const dag = build(graph);
        const edges = edgeSet(graph);
        const { path, length } = dag.criticalPath();
        expect(length).toBe(referenceLongest(graph, referenceOrder(graph)!, () => 1));
        expect(path).toHaveLength(length);
        expectChain(path, edges);
      }),
      { numRuns: RUNS },
    );
  });

  test('criticalPath with weights is a real chain as heavy as the heaviest path', () => {
    fc.assert(
      fc.property(
        dagArb.chain((graph) =>
          fc.record({
            graph: fc.constant(graph),
            weights: fc.array(fc.integer({ min: 0, max: 100 }), {
              minLength: graph.ids.length,
              maxLength: graph.ids.length,
            }),
          }),
        ),
        ({ graph, weights }) => {
          const dag = build(graph);
          const weightOf = new Map(graph.ids.map((id, i) => [id, weights[i]!]));
          const weight = (id: string): number => weightOf.get(id)!;
          const { path, length } = dag.criticalPath(weight);
          expect(length).toBe(referenceLongest(graph, referenceOrder(graph)!, weight));
          expect(path.length).toBeGreaterThan(0);
          expect(path.reduce((sum, id) => sum + weight(id), 0)).toBe(length);
          expectChain(path, edgeSet(graph));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Dag.build on random cyclic graphs', () => {
  test('rejects them, and every reported cycle is a real simple loop', () => {
    fc.assert(
      fc.property(cyclicArb, (graph) => {
        const result = Dag.build(graph.ids, graph.edges);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.cycles.length).toBeGreaterThanOrEqual(1);
        const edges = edgeSet(graph);
        for (const cycle of result.cycles) {
          expect(cycle.length).toBeGreaterThanOrEqual(2);
          expect(cycle[cycle.length - 1]).toBe(cycle[0]);
          expectChain(cycle, edges);
          const inner = cycle.slice(0, -1);
          expect(new Set(inner).size).toBe(inner.length);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('one cycle per looping component: the shortest loop through its earliest-declared member', () => {
    fc.assert(
      fc.property(cyclicArb, (graph) => {
        const result = Dag.build(graph.ids, graph.edges);
        if (result.ok) throw new Error('a cyclic graph was accepted');
        const below = new Map(graph.ids.map((id) => [id, reachableFrom(graph, id)]));
        const together = (a: string, b: string): boolean => below.get(a)!.has(b) && below.get(b)!.has(a);
        // The earliest-declared member of each component with a loop, in declaration order.
        const starts = graph.ids.filter(
          (id, i) => below.get(id)!.has(id) && graph.ids.slice(0, i).every((earlier) => !together(earlier, id)),
        );
        expect(result.cycles.map((cycle) => cycle[0])).toEqual(starts);
        for (const cycle of result.cycles) {
          const start = cycle[0]!;
          for (const member of cycle) expect(member === start || together(start, member)).toBe(true);
          expect(cycle.length - 1).toBe(shortestLoopLength(graph, start));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('determinism and the stable order', () => {
  test('the same input always gives the same result', () => {
    fc.assert(
      fc.property(fc.oneof(dagArb, cyclicArb), (graph) => {
        const first = Dag.build(graph.ids, graph.edges);
        const second = Dag.build(
          [...graph.ids],
          graph.edges.map((edge) => ({ ...edge })),
        );
        expect(second.ok).toBe(first.ok);
        if (first.ok && second.ok) {
          expect(second.dag.order).toEqual(first.dag.order);
          expect(second.dag.criticalPath()).toEqual(first.dag.criticalPath());
          for (const id of graph.ids) {
            expect(second.dag.parents(id)).toEqual(first.dag.parents(id));
            expect(second.dag.children(id)).toEqual(first.dag.children(id));
          }
        } else if (!first.ok && !second.ok) {
          expect(second.cycles).toEqual(first.cycles);
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('order is the topological order that always takes the earliest-declared ready step', () => {
    fc.assert(
      fc.property(dagArb, (graph) => {
        const expected = referenceOrder(graph)!;
        expect(build(graph).order).toEqual(expected);
        // That order is unique, so the order the edges are listed in cannot matter.
        expect(build({ ids: graph.ids, edges: [...graph.edges].reverse() }).order).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });
});
