/**
 * Claude Code permission rules: a tool name (`Write`), optionally with a
 * specifier in parentheses (`Bash(npm test:*)`, `Read(src/**)`). A specifier
 * ending in `:*` or ` *` is a command prefix: `Bash(npm test:*)` matches
 * `npm test` and `npm test -- --ci`, not `npm testify`.
 */
interface ToolRule {
  readonly tool: string;
  /** Undefined for a bare tool name, which covers every use of the tool. */
  readonly specifier: string | undefined;
}

function parseRule(rule: string): ToolRule {
  const open = rule.indexOf('(');
  if (open <= 0 || !rule.endsWith(')')) return { tool: rule.trim(), specifier: undefined };
  return { tool: rule.slice(0, open).trim(), specifier: rule.slice(open + 1, -1) };
}

function prefixOf(specifier: string): string | undefined {
  if (specifier.endsWith(':*')) return specifier.slice(0, -2);
  if (specifier.endsWith(' *')) return specifier.slice(0, -2);
  return undefined;
}

/**
 * True when everything `narrow` permits, `broad` permits too: the same rule,
 * a specifier under a bare tool name, or a command prefix that extends a
 * broader prefix at a word boundary.
 */
export function ruleCovers(broad: string, narrow: string): boolean {
  const outer = parseRule(broad);
  const inner = parseRule(narrow);
  if (outer.tool !== inner.tool) return false;
  if (outer.specifier === undefined) return true;
  if (inner.specifier === undefined) return false;
  if (outer.specifier === inner.specifier) return true;
  const outerPrefix = prefixOf(outer.specifier);
  if (outerPrefix === undefined) return false;
  const innerPrefix = prefixOf(inner.specifier) ?? inner.specifier;
  return innerPrefix === outerPrefix || innerPrefix.startsWith(`${outerPrefix} `);
}

/** The tool name of a rule: `Bash` for `Bash(npm test:*)`. */
export function toolOf(rule: string): string {
  return parseRule(rule).tool;
}
