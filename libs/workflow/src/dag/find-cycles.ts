/**
 * Cycles of a directed graph given as adjacency lists over node indexes.
 * Returns one cycle per strongly connected component that has one: the
 * shortest loop through the component's lowest index (the step declared
 * first), as `[n0, n1, …, n0]`. Iterative throughout, so a 100,000-step chain
 * cannot overflow the stack.
 */
export function findCycles(adjacency: readonly (readonly number[])[]): number[][] {
  const cycles: number[][] = [];
  for (const component of stronglyConnectedComponents(adjacency)) {
    const start = component.reduce((lowest, node) => Math.min(lowest, node));
    const members = new Set(component);
    const isLoop = component.length > 1 || adjacency[start]!.includes(start);
    if (isLoop) cycles.push(shortestLoop(adjacency, start, members));
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

/** Tarjan's algorithm with an explicit call stack. */
export function stronglyConnectedComponents(adjacency: readonly (readonly number[])[]): number[][] {
  const n = adjacency.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const calls: { node: number; next: number }[] = [{ node: root, next: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (calls.length > 0) {
      const frame = calls[calls.length - 1]!;
      const edges = adjacency[frame.node]!;
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = 1;
          calls.push({ node: to, next: 0 });
        } else if (onStack[to]) {
          low[frame.node] = Math.min(low[frame.node]!, index[to]!);
        }
        continue;
      }
      calls.pop();
      const parent = calls[calls.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** Breadth-first search from `start` back to itself, staying inside the component. */
function shortestLoop(
  adjacency: readonly (readonly number[])[],
  start: number,
  members: ReadonlySet<number>,
): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const to of adjacency[node]!) {
      if (to === start) return [...pathTo(previous, start, node), start];
      if (!members.has(to) || previous.has(to)) continue;
      previous.set(to, node);
      queue.push(to);
    }
  }
  throw new Error(`node ${start} is in a strongly connected component but on no loop`);
}

function pathTo(previous: ReadonlyMap<number, number>, start: number, end: number): number[] {
  const path = [end];
  for (let node = end; node !== start;) {
    node = previous.get(node)!;
    path.push(node);
  }
  return path.reverse();
}
