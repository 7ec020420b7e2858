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

/**
 * A collection being walked. Its path is not stored: it is rebuilt from the
 * stack's keys only when there is something to report, so a valid file
 * allocates no path arrays.
 */
interface Frame {
  readonly value: object;
  /** The key or index under which the parent holds this collection. */
  readonly key: string | number;
  readonly keys: readonly string[] | undefined;
  readonly length: number;
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
  const stack: Frame[] = [frame(root, '')];
  let expansion = 0;

  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.length) {
      const key = top.keys === undefined ? top.next : top.keys[top.next]!;
      top.next += 1;
      const child = (top.value as Record<string | number, unknown>)[key];
      if (child === null || typeof child !== 'object') {
        top.size += 1;
        continue;
      }
      const at = (code: LimitViolation['code']): LimitViolation => ({ code, path: pathOf(stack, key) });
      if (open.has(child)) return at('yaml-recursive-alias');
      const known = measured.get(child);
      if (known === undefined) {
        if (stack.length + 1 > limits.maxDepth) return at('yaml-too-deep');
        open.add(child);
        stack.push(frame(child, key));
        continue;
      }
      // An alias use: its anchored value sits here too, at this depth.
      if (stack.length + known.height > limits.maxDepth) return at('yaml-too-deep');
      expansion += known.size;
      if (expansion > limits.maxAliasExpansion) return at('yaml-alias-limit');
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

function frame(value: object, key: string | number): Frame {
  const keys = Array.isArray(value) ? undefined : Object.keys(value);
  const length = keys === undefined ? (value as unknown[]).length : keys.length;
  return { value, key, keys, length, next: 0, height: 0, size: 0 };
}

/** The path to `key` under the stack's top collection (the root frame has no key). */
function pathOf(stack: readonly Frame[], key: string | number): ValuePath {
  return [...stack.slice(1).map((f) => f.key), key];
}

function absorb(parent: Frame, child: Metrics): void {
  parent.height = Math.max(parent.height, child.height);
  parent.size += child.size;
}
