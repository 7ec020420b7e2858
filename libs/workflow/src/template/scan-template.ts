import { KNOWN_HELPERS } from './helpers.js';

type Node = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;
type Program = hbs.AST.Program;

/** A place inside a template: line 1-based, column 0-based (Handlebars' convention). */
export interface TemplatePlace {
  readonly line: number;
  readonly column: number;
}

/** A value a template reads from the root of its context, e.g. `steps.build.outputs.sha`. */
export interface TemplateReference extends TemplatePlace {
  readonly path: readonly string[];
  /** `{{a.b}}` alone must resolve (strict mode); as a helper argument it may be missing. */
  readonly mustExist: boolean;
}

export interface TemplateScan {
  readonly references: readonly TemplateReference[];
  /** Helper calls with how many positional arguments each was given. */
  readonly helpers: readonly (TemplatePlace & { readonly name: string; readonly arguments: number })[];
  /** Partials and decorators: Handlebars features the language leaves out. */
  readonly unsupported: readonly (TemplatePlace & { readonly what: string })[];
}

/** Helpers that give their block a new `this`; paths inside are relative to it. */
const CONTEXT_CHANGING = new Set(['each', 'with']);

/**
 * Lists what a parsed template reads and calls, without running it. Paths
 * inside `{{#each}}`/`{{#with}}` are relative to the item and cannot be
 * checked statically, except `@root.…` and `../` paths that climb back to the
 * root; block parameters (`as |file|`) are local names, not references.
 */
export function scanTemplate(program: Program): TemplateScan {
  const scan: MutableScan = { references: [], helpers: [], unsupported: [] };
  walkProgram(program, { contextDepth: 0, blockParams: new Set() }, scan);
  return scan;
}

interface Scope {
  readonly contextDepth: number;
  readonly blockParams: ReadonlySet<string>;
}

type MutableScan = {
  references: TemplateReference[];
  helpers: TemplateScan['helpers'][number][];
  unsupported: TemplateScan['unsupported'][number][];
};

function walkProgram(program: Program | undefined, scope: Scope, scan: MutableScan): void {
  if (!program) return;
  for (const statement of program.body) walkStatement(statement, scope, scan);
}

function walkStatement(node: Node, scope: Scope, scan: MutableScan): void {
  switch (node.type) {
    case 'MustacheStatement': {
      const m = node as hbs.AST.MustacheStatement;
      walkCall(m.path, m.params, m.hash, scope, scan, true);
      return;
    }
    case 'BlockStatement': {
      const b = node as hbs.AST.BlockStatement;
      // `{{#a.b}}…{{/a.b}}` with no arguments is a strict lookup, like `{{a.b}}`.
      walkCall(b.path, b.params, b.hash, scope, scan, true);
      const inner = innerScope(b, scope);
      walkProgram(b.program, inner, scan);
      walkProgram(b.inverse, scope, scan);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
      scan.unsupported.push({ what: 'partials ({{> name}})', ...place(node) });
      return;
    case 'Decorator':
    case 'DecoratorBlock':
      scan.unsupported.push({ what: 'decorators ({{* name}})', ...place(node) });
      return;
    default:
      return; // ContentStatement, CommentStatement
  }
}

function innerScope(block: hbs.AST.BlockStatement, scope: Scope): Scope {
  const name = block.path.original;
  const params = block.program?.blockParams ?? [];
  const blockParams = params.length > 0 ? new Set([...scope.blockParams, ...params]) : scope.blockParams;
  const contextDepth = CONTEXT_CHANGING.has(name) ? scope.contextDepth + 1 : scope.contextDepth;
  return { contextDepth, blockParams };
}

/**
 * `{{name args…}}` and `(name …)` call a helper; `{{name}}` alone calls one
 * only when a helper has that name (written plainly, not `./name`), as in
 * Handlebars itself; otherwise it is a lookup.
 */
function walkCall(
  path: PathExpression | hbs.AST.Literal,
  params: readonly Expression[],
  hash: hbs.AST.Hash | undefined,
  scope: Scope,
  scan: MutableScan,
  pathMustExist: boolean,
  alwaysHelper = false,
): void {
  const hasArgs = params.length > 0 || (hash?.pairs.length ?? 0) > 0;
  if (path.type === 'PathExpression') {
    const p = path as PathExpression;
    const plainName = p.parts.length === 1 && !p.data && p.depth === 0 && p.original === p.parts[0];
    if (alwaysHelper || hasArgs || (plainName && KNOWN_HELPERS.has(p.parts[0]!))) {
      scan.helpers.push({ name: p.original, arguments: params.length, ...place(p) });
    } else {
      reference(p, scope, scan, pathMustExist);
    }
  }
  for (const param of params) walkExpression(param, scope, scan);
  for (const pair of hash?.pairs ?? []) walkExpression(pair.value, scope, scan);
}

function walkExpression(node: Expression, scope: Scope, scan: MutableScan): void {
  if (node.type === 'PathExpression') reference(node as PathExpression, scope, scan, false);
  else if (node.type === 'SubExpression') {
    const s = node as hbs.AST.SubExpression;
    walkCall(s.path, s.params, s.hash, scope, scan, false, true);
  }
}

function reference(path: PathExpression, scope: Scope, scan: MutableScan, mustExist: boolean): void {
  const root = rootPath(path, scope);
  if (root !== undefined && root.length > 0) scan.references.push({ path: root, mustExist, ...place(path) });
}

/** The path from the context root, or undefined when it is relative to an `each`/`with` item. */
function rootPath(path: PathExpression, scope: Scope): string[] | undefined {
  if (path.data) return path.parts[0] === 'root' ? path.parts.slice(1) : undefined;
  if (path.depth === 0 && scope.blockParams.has(path.parts[0] ?? '')) return undefined;
  return path.depth === scope.contextDepth ? path.parts : undefined;
}

function place(node: Node): TemplatePlace {
  return { line: node.loc.start.line, column: node.loc.start.column };
}
