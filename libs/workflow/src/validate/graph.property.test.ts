import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';

import { loadWorkflow } from '../load-workflow.js';

/**
 * The validator end to end on generated workflows: YAML text with random
 * `needs` goes through loadWorkflow. Acyclic graphs must validate with an
 * order that respects every edge; graphs with a cycle must be rejected with
 * a printed cycle whose every arrow is a real `needs` edge.
 */
interface Graph {
  readonly ids: string[];
  /** needs[i]: the ids step i needs. */
  readonly needs: string[][];
}

/** A random DAG: step ids in shuffled order, edges only from earlier to later in a hidden topological order. */
const dag = fc
  .integer({ min: 1, max: 25 })
  .chain((n) =>
    fc.tuple(
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => `s${i}`),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 }),
    ),
  )
  .map(([ids, pairs]): Graph => {
    const needs: string[][] = ids.map(() => []);
    for (const [a, b] of pairs) {
      const [from, to] = a < b ? [a, b] : [b, a];
      if (from !== to && !needs[to]!.includes(ids[from]!)) needs[to]!.push(ids[from]!);
    }
    return { ids, needs };
  });

function yaml({ ids, needs }: Graph): string {
  const steps = ids.map((id, i) => {
    const list = needs[i]!.length > 0 ? `, needs: [${needs[i]!.join(', ')}]` : '';
    return `  - { id: ${id}, type: shell, run: "true"${list} }`;
  });
  return `name: generated\nsteps:\n${steps.join('\n')}\n`;
}

describe('validation of generated step graphs', () => {
  test('every acyclic graph validates, in an order that respects every need', () => {
    fc.assert(
      fc.property(dag, (graph) => {
        const result = loadWorkflow(yaml(graph), { file: 'g.yaml' });
        expect(result.diagnostics).toEqual([]);
        if (!result.ok) return;
        const position = new Map(result.workflow.dag.order.map((id, i) => [id, i]));
        expect(position.size).toBe(graph.ids.length);
        graph.ids.forEach((id, i) => {
          for (const need of graph.needs[i]!) expect(position.get(need)!).toBeLessThan(position.get(id)!);
        });
      }),
      { numRuns: 200 },
    );
  });

  test('a graph with a cycle is rejected, and each printed cycle is made of real needs', () => {
    const cyclic = dag
      .filter((g) => g.needs.some((list) => list.length > 0))
      .chain((g) => fc.nat(g.ids.length - 1).map((pick) => ({ g, pick })))
      .map(({ g, pick }): Graph => {
        // Close a loop: a step that some other step needs now needs one of its own dependents.
        const withNeeds = g.needs.map((list, i) => ({ list, i })).filter(({ list }) => list.length > 0);
        const { list, i } = withNeeds[pick % withNeeds.length]!;
        const needed = g.ids.indexOf(list[0]!);
        const needs = g.needs.map((l) => [...l]);
        needs[needed]!.push(g.ids[i]!);
        return { ids: g.ids, needs };
      });
    fc.assert(
      fc.property(cyclic, (graph) => {
        const result = loadWorkflow(yaml(graph), { file: 'g.yaml' });
        expect(result.ok).toBe(false);
        const cycles = result.diagnostics.filter((d) => d.code === 'cycle');
        expect(cycles.length).toBeGreaterThan(0);
        const needsOf = new Map(graph.ids.map((id, i) => [id, graph.needs[i]!]));
        for (const d of cycles) {
          const ids = /dependency cycle: (.*)$/.exec(d.message)![1]!.split(' → ');
          expect(ids[0]).toBe(ids[ids.length - 1]);
          expect(new Set(ids.slice(1)).size).toBe(ids.length - 1); // no step twice inside the loop
          // "a → b" reads "a runs before b": b needs a.
          for (let k = 0; k + 1 < ids.length; k++) expect(needsOf.get(ids[k + 1]!)).toContain(ids[k]);
        }
      }),
      { numRuns: 200 },
    );
  });
});
