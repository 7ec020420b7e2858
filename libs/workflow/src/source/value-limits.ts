import type { SourceLimits } from './source-limits.js';
import type { ValuePath } from './source-positions.js';

export interface LimitViolation {
  readonly code: 'yaml-too-deep' | 'yaml-alias-limit' | 'yaml-recursive-alias';
  /** Where in the value: the first node too deep, or the place an alias is used. */
  readonly path: ValuePath;
}

/** Of an object already walked: how deep it goes below itself, and how many nodes it holds. */
interface Metrics {
  readonly height: number;
  readonly size: number;
}

interface Frame {
  readonly value: object;
  readonly path: ValuePath;
  readonly children: [string | number, unknown][];
  next: number;
  height: number;
  size: number;
}

/**
 * Measures a parsed YAML value for depth and alias expansion. Both parsers
 * turn an alias into a second reference to the anchored object, so an object
 * met again is an alias use: it adds its whole size to the expansion without
 * being walked again, and an object met again while still being walked is a
 * recursive alias. Depth is checked on the way down, so the walk never goes
 * deeper than the limit: hostile nesting costs no more than legal nesting.
 * Depth counts collections: the top-level mapping is 1.
 */
export function checkValueLimits(root: unknown, limits: SourceLimits): LimitViolation | undefined {
  if (root === null || typeof root !== 'object') return undefined;
  if (limits.maxDepth < 1) return { code: 'yaml-too-deep', path: [] };
  const measured = new Map<object, Metrics>();
  const open = new Set<object>([root]);
  const stack: Frame[] = [frame(root, [])];
  let expansion = 0;

  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const [key, child] = top.children[top.next++]!;
      if (child === null || typeof child !== 'object') {
        top.size += 1;
        continue;
      }
      const path = [...top.path, key];
      if (open.has(child)) return { code: 'yaml-recursive-alias', path };
      const known = measured.get(child);
      if (known === undefined) {
        if (stack.length + 1 > limits.maxDepth) return { code: 'yaml-too-deep', path };
        open.add(child);
        stack.push(frame(child, path));
        continue;
      }
      // An alias use: its anchored value sits here too, at this depth.
      if (stack.length + known.height > limits.maxDepth) return { code: 'yaml-too-deep', path };
      expansion += known.size;
      if (expansion > limits.maxAliasExpansion) return { code: 'yaml-alias-limit', path };
      absorb(top, known);
      continue;
    }
    stack.pop();
    open.delete(top.value);
    const metrics = { height: top.height + 1, size: top.size + 1 };
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
  return { value, path, children, next: 0, height: 0, size: 0 };
}

function absorb(parent: Frame, child: Metrics): void {
  parent.height = Math.max(parent.height, child.height);
  parent.size += child.size;
}
