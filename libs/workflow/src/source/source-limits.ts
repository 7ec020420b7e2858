import { type Alias, type Document, type Node, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

/** Bounds on what a workflow file may make the parser build. */
export interface SourceLimits {
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of mappings and sequences, aliases expanded. */
  readonly maxDepth: number;
  /**
   * Most nodes that aliases may add when expanded. Anchors are useful for
   * sharing a retry block across thousands of steps, so the bound is on the
   * expanded size, not on how many aliases there are ("billion laughs" files
   * blow past it within a few lines).
   */
  readonly maxAliasExpansion: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxAliasExpansion: 100_000,
};

export interface LimitViolation {
  readonly code: 'yaml-too-deep' | 'yaml-alias-limit' | 'yaml-unknown-alias' | 'yaml-recursive-alias';
  readonly message: string;
  readonly node: Node;
}

interface Metrics {
  depth: number;
  size: number;
}

/**
 * Measures the document's depth and alias-expanded size in one post-order
 * pass with an explicit stack (so hostile input cannot overflow ours), and
 * reports the first node past a limit. Anchors always precede their aliases in
 * YAML, so an alias whose target has not been measured yet points at a node
 * that contains it: a recursive alias.
 */
export function checkYamlLimits(doc: Document, limits: SourceLimits): LimitViolation | undefined {
  const measured = new Map<Node, Metrics>();
  const inProgress = new Set<Node>();
  let aliasExpansion = 0;
  const root = doc.contents;
  if (root === null) return undefined;
  const stack: { node: Node; expanded: boolean }[] = [{ node: root, expanded: false }];

  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { node } = frame;
    if (isAlias(node)) {
      stack.pop();
      const outcome = measureAlias(doc, node, measured, inProgress);
      if ('code' in outcome) return outcome;
      aliasExpansion += outcome.size;
      if (aliasExpansion > limits.maxAliasExpansion) {
        return {
          code: 'yaml-alias-limit',
          message: `YAML aliases expand to more than ${limits.maxAliasExpansion} nodes; a file that grows like this is a resource-exhaustion ("billion laughs") attack`,
          node,
        };
      }
      measured.set(node, outcome);
      continue;
    }
    const children = childNodes(node);
    if (!frame.expanded) {
      frame.expanded = true;
      inProgress.add(node);
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]!, expanded: false });
      continue;
    }
    stack.pop();
    inProgress.delete(node);
    const metrics = combine(node, children, measured);
    if (metrics.depth > limits.maxDepth) {
      return {
        code: 'yaml-too-deep',
        message: `nesting is deeper than ${limits.maxDepth} levels`,
        node,
      };
    }
    measured.set(node, metrics);
  }
  return undefined;
}

function measureAlias(
  doc: Document,
  alias: Alias,
  measured: Map<Node, Metrics>,
  inProgress: Set<Node>,
): Metrics | LimitViolation {
  const target = alias.resolve(doc) as Node | undefined;
  if (target === undefined) {
    return {
      code: 'yaml-unknown-alias',
      message: `alias *${alias.source} has no anchor &${alias.source} before it`,
      node: alias,
    };
  }
  const metrics = measured.get(target);
  if (metrics === undefined || inProgress.has(target)) {
    return {
      code: 'yaml-recursive-alias',
      message: `alias *${alias.source} refers to a node that contains it`,
      node: alias,
    };
  }
  return metrics;
}

function combine(node: Node, children: readonly Node[], measured: Map<Node, Metrics>): Metrics {
  const isCollection = isMap(node) || isSeq(node);
  let depth = 0;
  let size = 1;
  for (const child of children) {
    const m = measured.get(child);
    if (m === undefined) continue;
    depth = Math.max(depth, m.depth);
    size += m.size;
  }
  return { depth: isCollection ? depth + 1 : depth, size };
}

function childNodes(node: Node): Node[] {
  if (isScalar(node)) return [];
  if (isMap(node) || isSeq(node)) {
    const out: Node[] = [];
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        if (item.key !== null && typeof item.key === 'object') out.push(item.key as Node);
        if (item.value !== null && typeof item.value === 'object') out.push(item.value as Node);
      } else if (item !== null && typeof item === 'object') {
        out.push(item as Node);
      }
    }
    return out;
  }
  return [];
}
