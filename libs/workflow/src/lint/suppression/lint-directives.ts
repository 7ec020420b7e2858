import type { SourceSpan } from '@flowline/core';

import { didYouMean } from '../../util/did-you-mean.js';

/** Where a directive applies: the next code line, its own line, or the whole file. */
export type DirectiveKind = 'disable-next-line' | 'disable-line' | 'disable';

const DIRECTIVES: Readonly<Record<string, DirectiveKind>> = {
  'flowline-lint-disable-next-line': 'disable-next-line',
  'flowline-lint-disable-line': 'disable-line',
  'flowline-lint-disable': 'disable',
};

export interface RuleName {
  readonly id: string;
  readonly span: SourceSpan;
}

export interface LintDirective {
  readonly kind: DirectiveKind;
  readonly rules: readonly RuleName[];
  /** The line whose findings it suppresses; absent for `disable` (the whole file) or when no line follows. */
  readonly targetLine?: number;
}

export interface DirectiveProblem {
  readonly message: string;
  readonly span: SourceSpan;
}

export interface ParsedDirectives {
  readonly directives: readonly LintDirective[];
  readonly problems: readonly DirectiveProblem[];
}

/**
 * A `#` at the start of a line or after a blank, then `flowline-lint-…`. The
 * text is scanned line by line rather than through the YAML parser's comments
 * on purpose: a directive also works as a shell comment inside a `run: |`
 * script, right above the command a rule reports.
 */
const DIRECTIVE = /(^|\s)#\s*(flowline-lint-[A-Za-z-]*)(.*)$/;

/** Finds the suppression comments in a workflow's text, and the ones that cannot work. */
export function parseDirectives(lines: readonly string[]): ParsedDirectives {
  const directives: LintDirective[] = [];
  const problems: DirectiveProblem[] = [];
  lines.forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (match === null) return;
    const parsed = parseDirective(lines, index, match);
    if ('message' in parsed) problems.push(parsed);
    else directives.push(parsed);
  });
  return { directives, problems };
}

function parseDirective(
  lines: readonly string[],
  index: number,
  match: RegExpExecArray,
): LintDirective | DirectiveProblem {
  const [, before = '', name = '', rest = ''] = match;
  const hash = match.index + before.length;
  const line = lines[index]!;
  const span = { line: index + 1, column: hash + 1, endLine: index + 1, endColumn: line.trimEnd().length + 1 };
  const kind = DIRECTIVES[name];
  if (kind === undefined) {
    return { message: `unknown directive "${name}"${didYouMean(name, Object.keys(DIRECTIVES))}`, span };
  }
  const rules = ruleNames(rest, index + 1, line.length - rest.length);
  const ownLine = line.slice(0, hash).trim() === '';
  const misplaced = placementProblem(name, kind, ownLine, hash);
  if (misplaced !== undefined) return { message: misplaced, span };
  if (rules.length === 0) {
    return { message: `${name} names no rule; write the ids of the rules to suppress after it`, span };
  }
  return { kind, rules, ...target(lines, index, kind) };
}

function placementProblem(name: string, kind: DirectiveKind, ownLine: boolean, hash: number): string | undefined {
  if (kind === 'disable-line' && ownLine) {
    return `${name} suppresses findings on its own line, which holds only this comment; use flowline-lint-disable-next-line`;
  }
  if (kind === 'disable' && (!ownLine || hash !== 0)) {
    return `${name} applies to the whole file, so it must be a comment of its own starting in column 1`;
  }
  return undefined;
}

/** Rule ids separated by commas or blanks; anything after `--` is a reason for people to read. */
function ruleNames(rest: string, line: number, offset: number): RuleName[] {
  const reasonAt = rest.indexOf('--');
  const list = reasonAt === -1 ? rest : rest.slice(0, reasonAt);
  return [...list.matchAll(/[^\s,]+/g)].map((m) => ({
    id: m[0],
    span: { line, column: offset + m.index + 1, endLine: line, endColumn: offset + m.index + m[0].length + 1 },
  }));
}

function target(lines: readonly string[], index: number, kind: DirectiveKind): { targetLine?: number } {
  if (kind === 'disable') return {};
  if (kind === 'disable-line') return { targetLine: index + 1 };
  for (let next = index + 1; next < lines.length; next++) {
    if (!/^\s*(#.*)?$/.test(lines[next]!)) return { targetLine: next + 1 };
  }
  return {};
}
