import { findCycles } from './find-cycles.js';

/** An edge `from → to`: `from` must finish before `to` may start. */
export interface DagEdge {
  readonly from: string;
  readonly to: string;
}

export type DagBuildResult =
  { readonly ok: true; readonly dag: Dag } | { readonly ok: false; readonly cycles: string[][] };

/**
 * The step graph of a workflow: nodes are step ids, edges point from a step
 * to the steps that wait for it. Immutable once built. Answers the questions
 * validation, the scheduler and `graph` ask: a stable topological order,
 * parents and children, ancestry in O(1) (bitsets, computed once on first
 * use), descendants, and the critical path.
 */
export class Dag {
  /** Topological order; among steps that could go next, the one declared first. */
  readonly order: readonly string[];
  private readonly indexOf: ReadonlyMap<string, number>;
  private readonly parentIdx: readonly (readonly number[])[];
  private readonly childIdx: readonly (readonly number[])[];
  private ancestorBits: Uint32Array[] | undefined;

  private constructor(
    private readonly ids: readonly string[],
    parents: number[][],
    children: number[][],
    orderIdx: readonly number[],
  ) {
    this.indexOf = new Map(ids.map((id, i) => [id, i]));
    this.parentIdx = parents;
    this.childIdx = children;
    this.order = orderIdx.map((i) => ids[i]!);
  }

  /**
   * Builds the graph, or returns its cycles (each as `[a, b, …, a]` in edge
   * direction). Edges naming unknown ids must be filtered out beforehand;
   * duplicate edges are harmless.
   */
  static build(ids: readonly string[], edges: readonly DagEdge[]): DagBuildResult {
    const indexOf = new Map(ids.map((id, i) => [id, i]));
    const children: number[][] = ids.map(() => []);
    const parents: number[][] = ids.map(() => []);
    const seen = new Set<number>();
    for (const { from, to } of edges) {
      const f = indexOf.get(from);
      const t = indexOf.get(to);
      if (f === undefined || t === undefined) throw new Error(`edge ${from} → ${to} names an unknown step`);
      const key = f * ids.length + t; // exact below 2^53, i.e. for any workflow that fits in memory
      if (seen.has(key)) continue;
      seen.add(key);
      children[f]!.push(t);
      parents[t]!.push(f);
    }
    // Parents and children in declaration order, whatever order the edges came
    // in (most lists already are, so only those that are not get sorted).
    for (const list of [...children, ...parents]) if (!isAscending(list)) list.sort((a, b) => a - b);
    const order = stableTopologicalOrder(children, parents);
    if (order.length < ids.length) {
      return { ok: false, cycles: findCycles(children).map((cycle) => cycle.map((i) => ids[i]!)) };
    }
    return { ok: true, dag: new Dag(ids, parents, children, order) };
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.indexOf.has(id);
  }

  /** The steps `id` waits for directly, in declaration order. */
  parents(id: string): string[] {
    return this.parentIdx[this.index(id)]!.map((i) => this.ids[i]!);
  }

  /** The steps that wait for `id` directly, in declaration order. */
  children(id: string): string[] {
    return this.childIdx[this.index(id)]!.map((i) => this.ids[i]!);
  }

  /** Steps nothing waits on first: they may start at once. */
  roots(): string[] {
    return this.order.filter((id) => this.parentIdx[this.index(id)]!.length === 0);
  }

  /** Steps no other step waits for. */
  leaves(): string[] {
    return this.order.filter((id) => this.childIdx[this.index(id)]!.length === 0);
  }

  /** True when `ancestor` must finish (transitively) before `step` may start. */
  isAncestor(ancestor: string, step: string): boolean {
    const a = this.index(ancestor);
    const bits = this.ancestorSets()[this.index(step)]!;
    return ((bits[a >>> 5]! >>> (a & 31)) & 1) === 1;
  }

  /** Every step that must finish before `id`, in topological order. */
  ancestors(id: string): string[] {
    return this.order.filter((other) => other !== id && this.isAncestor(other, id));
  }

  /** Every step that waits (transitively) on `id`, in topological order. */
  descendants(id: string): string[] {
    const seen = new Set<number>();
    const queue = [this.index(id)];
    for (let head = 0; head < queue.length; head++) {
      for (const child of this.childIdx[queue[head]!]!) {
        if (!seen.has(child)) {
          seen.add(child);
          queue.push(child);
        }
      }
    }
    return this.order.filter((other) => seen.has(this.index(other)));
  }

  /**
   * The heaviest chain of dependent steps: the least time the whole run can
   * take with unlimited parallelism. `weight` defaults to 1 per step (the
   * longest chain by count); pass expected durations for a time estimate.
   */
  criticalPath(weight: (id: string) => number = () => 1): { path: string[]; length: number } {
    const n = this.ids.length;
    const total = new Float64Array(n);
    const via = new Int32Array(n).fill(-1);
    let end = -1;
    for (const id of this.order) {
      const i = this.index(id);
      let from = -1;
      for (const p of this.parentIdx[i]!) if (from === -1 || total[p]! > total[from]!) from = p;
      via[i] = from;
      total[i] = (from === -1 ? 0 : total[from]!) + weight(id);
      if (end === -1 || total[i] > total[end]!) end = i;
    }
    const path: string[] = [];
    for (let i = end; i !== -1; i = via[i]!) path.push(this.ids[i]!);
    return { path: path.reverse(), length: end === -1 ? 0 : total[end]! };
  }

  private index(id: string): number {
    const i = this.indexOf.get(id);
    if (i === undefined) throw new Error(`unknown step "${id}"`);
    return i;
  }

  private ancestorSets(): Uint32Array[] {
    if (this.ancestorBits !== undefined) return this.ancestorBits;
    const words = (this.ids.length + 31) >>> 5;
    const sets = this.ids.map(() => new Uint32Array(words));
    for (const id of this.order) {
      const i = this.index(id);
      const mine = sets[i]!;
      for (const p of this.parentIdx[i]!) {
        const theirs = sets[p]!;
        for (let w = 0; w < words; w++) mine[w]! |= theirs[w]!;
        mine[p >>> 5]! |= 1 << (p & 31);
      }
    }
    this.ancestorBits = sets;
    return sets;
  }
}

function isAscending(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
  return true;
}

/**
 * Kahn's algorithm, always taking the lowest-index ready node, so the order
 * follows the file wherever dependencies allow. Uses a binary heap: O(E + V log V).
 */
function stableTopologicalOrder(children: readonly number[][], parents: readonly number[][]): number[] {
  const waiting = parents.map((p) => p.length);
  const ready = new MinHeap();
  waiting.forEach((count, i) => count === 0 && ready.push(i));
  const order: number[] = [];
  while (ready.size > 0) {
    const node = ready.pop();
    order.push(node);
    for (const child of children[node]!) {
      waiting[child]! -= 1;
      if (waiting[child] === 0) ready.push(child);
    }
  }
  return order;
}

class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    items.push(value);
    for (let i = items.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= items[i]!) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  pop(): number {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && items[l]! < items[smallest]!) smallest = l;
        if (r < items.length && items[r]! < items[smallest]!) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}
