/**
 * A parser for the shape nearly every workflow template has — text with
 * `{{a.b.c}}` and `{{helper arg "text" 42}}` in it — producing exactly the
 * tree Handlebars' own parser would (simple-template.property.test.ts holds
 * them equal). Handlebars' generated LALR parser costs ~14 µs per template;
 * this costs about one. Sub-expressions (`(default x 0)`) are in the subset;
 * anything else (blocks, comments, hashes, `this`, `@data`, `../`, escapes,
 * whitespace control) returns undefined, and the caller uses Handlebars.
 */

type Position = hbs.AST.Position;
type Expression = hbs.AST.PathExpression | hbs.AST.Literal | hbs.AST.SubExpression;

/** One path segment: plain names only, so the lexer's rarer ID characters go the slow way. */
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;

export function parseSimpleTemplate(source: string): hbs.AST.Program | undefined {
  if (source.includes('\\{{')) return undefined; // escaped mustaches: Handlebars' rules
  const body: hbs.AST.Statement[] = [];
  const lines = new LineIndex(source);
  let at = 0;
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    const textEnd = open === -1 ? source.length : open;
    if (textEnd > at) body.push(content(source.slice(at, textEnd), lines.position(at), lines.position(textEnd)));
    if (open === -1) break;
    const close = source.indexOf('}}', open + 2);
    if (close === -1) return undefined;
    const mustache = parseMustache(source, open, close, lines);
    if (mustache === undefined) return undefined;
    body.push(mustache);
    at = close + 2;
  }
  if (body.length === 0) return { type: 'Program', body, strip: {} } as unknown as hbs.AST.Program;
  return {
    type: 'Program',
    body,
    strip: {},
    loc: { start: { ...body[0]!.loc.start }, end: { ...body[body.length - 1]!.loc.end } },
  } as unknown as hbs.AST.Program;
}

function content(value: string, start: Position, end: Position): hbs.AST.ContentStatement {
  return {
    type: 'ContentStatement',
    original: value,
    value,
    loc: { start, end },
  } as unknown as hbs.AST.ContentStatement;
}

function parseMustache(
  source: string,
  open: number,
  close: number,
  lines: LineIndex,
): hbs.AST.MustacheStatement | undefined {
  const inner = source.slice(open + 2, close);
  // `{{{`, `{{#`, `{{/`, `{{>`, `{{!`, `{{^`, `{{&`, `{{~`, `{{*`, `{{else}}`…: not the simple subset.
  if (!/^\s*[A-Za-z_"'0-9-]/.test(inner) || /[~{}=|[\]@\\]/.test(inner) || source.startsWith('}', close + 2)) {
    return undefined;
  }
  const tokens = tokenize(inner, open + 2, lines);
  if (tokens === undefined) return undefined;
  const reader = { tokens, next: 0 };
  const call = readCall(reader);
  if (call === undefined || reader.next !== tokens.length) return undefined;
  // `{{"text"}}`, `{{42}}` and `{{else}}` mean other things to Handlebars: its way.
  if (call.path.original === 'else') return undefined;
  return {
    type: 'MustacheStatement',
    path: call.path,
    params: call.params,
    hash: undefined!,
    escaped: true,
    strip: { open: false, close: false },
    loc: { start: lines.position(open), end: lines.position(close + 2) },
  } as unknown as hbs.AST.MustacheStatement;
}

type Token =
  | { readonly kind: 'open' | 'close'; readonly start: Position; readonly end: Position }
  | { readonly kind: 'atom'; readonly expression: Expression };

/**
 * Splits a mustache's inside into atoms and parentheses. Conservative: an
 * atom or `)` must be followed by a space, `)` or the end (`a"b"`, `(a)b` mean
 * other things to Handlebars), and strings hold no quotes or escapes.
 */
function tokenize(inner: string, offset: number, lines: LineIndex): Token[] | undefined {
  const tokens: Token[] = [];
  const separated = (at: number) => at >= inner.length || /[\s)]/.test(inner[at]!);
  let at = 0;
  while (at < inner.length) {
    const char = inner[at]!;
    if (/\s/.test(char)) {
      at += 1;
      continue;
    }
    const start = lines.position(offset + at);
    if (char === '(' || char === ')') {
      at += 1;
      if (char === ')' && !separated(at)) return undefined;
      tokens.push({ kind: char === '(' ? 'open' : 'close', start, end: lines.position(offset + at) });
      continue;
    }
    const end = char === '"' || char === "'" ? inner.indexOf(char, at + 1) + 1 : atomEnd(inner, at);
    if (end <= at || !separated(end)) return undefined;
    const expression = parseToken(inner.slice(at, end), start, lines.position(offset + end));
    if (expression === undefined) return undefined;
    tokens.push({ kind: 'atom', expression });
    at = end;
  }
  return tokens;
}

function atomEnd(inner: string, from: number): number {
  let at = from;
  while (at < inner.length && !/[\s()"']/.test(inner[at]!)) at += 1;
  return at;
}

interface Reader {
  readonly tokens: readonly Token[];
  next: number;
}

/** `path expr*`: the head of a mustache or of a sub-expression, and its arguments. */
function readCall(reader: Reader): { path: hbs.AST.PathExpression; params: Expression[] } | undefined {
  const head = reader.tokens[reader.next];
  if (head?.kind !== 'atom' || head.expression.type !== 'PathExpression') return undefined;
  reader.next += 1;
  const params: Expression[] = [];
  for (;;) {
    const token = reader.tokens[reader.next];
    if (token === undefined || token.kind === 'close')
      return { path: head.expression as hbs.AST.PathExpression, params };
    const param = readExpression(reader);
    if (param === undefined) return undefined;
    params.push(param);
  }
}

/** An atom, or `( path expr* )` as Handlebars' SubExpression. */
function readExpression(reader: Reader): Expression | undefined {
  const token = reader.tokens[reader.next]!;
  if (token.kind === 'atom') {
    reader.next += 1;
    return token.expression;
  }
  if (token.kind !== 'open') return undefined;
  reader.next += 1;
  const call = readCall(reader);
  const close = reader.tokens[reader.next];
  if (call === undefined || close?.kind !== 'close') return undefined;
  reader.next += 1;
  return {
    type: 'SubExpression',
    path: call.path,
    params: call.params,
    hash: undefined,
    loc: { start: token.start, end: close.end },
  } as unknown as Expression;
}

function parseToken(token: string, start: Position, end: Position): Expression | undefined {
  const loc = { start, end } as hbs.AST.SourceLocation;
  const quoted = /^(["'])(.*)\1$/.exec(token);
  if (quoted) {
    const value = quoted[2]!;
    return value.includes('"') || value.includes("'") ? undefined : literal('StringLiteral', value, loc);
  }
  if (NUMBER.test(token)) return literal('NumberLiteral', Number(token), loc);
  if (token === 'true' || token === 'false') return literal('BooleanLiteral', token === 'true', loc);
  if (token === 'null') return { type: 'NullLiteral', original: null, value: null, loc } as unknown as Expression;
  if (token === 'undefined') return { type: 'UndefinedLiteral', loc };
  const parts = token.split('.');
  if (parts[0] === 'this' || !parts.every((part) => SEGMENT.test(part))) return undefined;
  return { type: 'PathExpression', data: false, depth: 0, parts, original: token, loc };
}

function literal(type: string, value: unknown, loc: hbs.AST.SourceLocation): Expression {
  return { type, value, original: value, loc } as unknown as Expression;
}

/** Offsets → Handlebars positions (line 1-based, column 0-based). */
class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! };
  }
}
