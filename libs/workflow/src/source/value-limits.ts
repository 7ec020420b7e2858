import type { SourceLimits } from './source-limits.js';
import type { ValuePath } from './source-positions.js';

export interface LimitViolation {
  readonly code: 'yaml-too-deep' | 'yaml-alias-limit' | 'yaml-recursive-alias';
  /** Where in the value: for aliases, the place the alias is used. */
  readonly path: ValuePath;
}

interface Metrics {
  readonly depth: number;
  readonly size: number;
}

interface Frame {
  readonly value: object;
  readonly path: ValuePath;
  readonly children: [string | number, unknown][];
  next: number;
  depth: number;
  size: number;
}

/**
 * Measures a parsed YAML value for depth and alias expansion. Both parsers
 * turn an alias into a second reference to the anchored object, so an object
 * met again is an alias use: it adds its whole size to the expansion without
 * being walked again, and an object met again while still being walked is a
 * recursive alias. Post-order with an explicit stack, so hostile input
 * cannot overflow ours.
 */
export function checkValueLimits(root: unknown, limits: SourceLimits): LimitViolation | undefined {
  if (root === null || typeof root !== 'object') return undefined;
  const measured = new Map<object, Metrics>();
  const open = new Set<object>();
  let expansion = 0;
  const stack: Frame[] = [frame(root, [])];
  open.add(root);

  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const [key, child] = top.children[top.next++]!;
      if (child === null || typeof child !== 'object') {
        top.size += 1;
        continue;
      }
      const path = [...top.path, key];
      if (open.has(child)) {
        return { code: 'yaml-recursive-alias', path };
      }
      const known = measured.get(child);
      if (known === undefined) {
        open.add(child);
        stack.push(frame(child, path));
        continue;
      }
      expansion += known.size;
      if (expansion > limits.maxAliasExpansion) {
        return { code: 'yaml-alias-limit', path };
      }
      absorb(top, known);
      continue;
    }
    stack.pop();
    open.delete(top.value);
    const metrics = { depth: top.depth + 1, size: top.size + 1 };
    if (metrics.depth > limits.maxDepth) {
      return { code: 'yaml-too-deep', path: top.path };
    }
    measured.set(top.value, metrics);
    const parent = stack[stack.length - 1];
    if (parent !== undefined) absorb(parent, metrics);
  }
  return undefined;
}

function frame(value: object, path: ValuePath): Frame {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item: unknown, i) => [i, item])
    : Object.entries(value);
  return { value, path, children, next: 0, depth: 0, size: 0 };
}

function absorb(parent: Frame, child: Metrics): void {
  parent.depth = Math.max(parent.depth, child.depth);
  parent.size += child.size;
}
