/**
 * A parser for the shape nearly every workflow template has — text with
 * `{{a.b.c}}` and `{{helper arg "text" 42}}` in it — producing exactly the
 * tree Handlebars' own parser would (simple-template.property.test.ts holds
 * them equal). Handlebars' generated LALR parser costs ~14 µs per template;
 * this costs about one. Anything outside the subset (blocks, comments,
 * sub-expressions, hashes, `this`, `@data`, `../`, escapes, whitespace
 * control) returns undefined, and the caller uses Handlebars.
 */

type Position = hbs.AST.Position;
type Expression = hbs.AST.PathExpression | hbs.AST.Literal;

/** One path segment: plain names only, so the lexer's rarer ID characters go the slow way. */
const SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;
/** A quoted string without quotes or escapes inside, or a run of other non-space characters. */
const TOKEN = /\s*("[^"\\]*"|'[^'\\]*'|[^\s"']+)/y;

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
  if (!/^\s*[A-Za-z_"'0-9-]/.test(inner) || /[~(){}=|[\]@\\]/.test(inner) || source.startsWith('}', close + 2)) {
    return undefined;
  }
  const expressions: Expression[] = [];
  let consumed = 0;
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(inner); match !== null; match = TOKEN.exec(inner)) {
    const token = match[1]!;
    const end = TOKEN.lastIndex;
    consumed = end;
    // Tokens must be separated by whitespace (`a"b"` means something else to Handlebars).
    if (end < inner.length && !/\s/.test(inner[end]!)) return undefined;
    const start = open + 2 + end - token.length;
    const expression = parseToken(token, lines.position(start), lines.position(start + token.length));
    if (expression === undefined) return undefined;
    expressions.push(expression);
  }
  // A failed sticky match resets lastIndex, so track what was read: leftovers (`{{a "b}}`) are not simple.
  if (inner.slice(consumed).trim() !== '') return undefined;
  const [path, ...params] = expressions;
  // `{{"text"}}`, `{{42}}` and `{{else}}` mean other things to Handlebars: its way.
  if (path?.type !== 'PathExpression' || (path as hbs.AST.PathExpression).original === 'else') return undefined;
  return {
    type: 'MustacheStatement',
    path: path as hbs.AST.PathExpression,
    params,
    hash: undefined!,
    escaped: true,
    strip: { open: false, close: false },
    loc: { start: lines.position(open), end: lines.position(close + 2) },
  } as unknown as hbs.AST.MustacheStatement;
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
