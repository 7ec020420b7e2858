/**
 * Just enough of the shell's grammar to find commands in a `run:` script:
 * words (quotes, `$(…)`, `${…}`, `{{…}}` templates kept whole), commands
 * split on `;`, `&&`, `||`, `&`, newlines and parentheses, and pipelines
 * split on `|`. Comments, line continuations and here-document bodies are
 * skipped, so `# curl x | sh` or a heredoc that writes a README is not a
 * command. The bodies of `$(…)`, `<(…)` and backticks are parsed as scripts
 * of their own. It is a linter's parser, not a shell's: it never fails, and
 * on text it does not understand it still yields words.
 */

/** A word as written (quotes included) and where it starts in the script. */
export interface ShellWord {
  readonly raw: string;
  readonly start: number;
}

/** One simple command: its words, assignments and keywords included. */
export type ShellCommand = readonly ShellWord[];

/** Commands joined by `|`, in order. */
export type ShellPipeline = readonly ShellCommand[];

/** Every pipeline in the script, nested ones (from substitutions) after the outer ones. */
export function shellPipelines(script: string): ShellPipeline[] {
  const lexer = new ShellLexer(script);
  lexer.run();
  const nested = outermost(lexer.nested).flatMap(([start, end]) =>
    shellPipelines(script.slice(start, end)).map((pipeline) => shifted(pipeline, start)),
  );
  return [...lexer.pipelines, ...nested];
}

/** Substitutions inside substitutions are found again when the outer body is parsed: keep the outer ones. */
function outermost(ranges: readonly (readonly [number, number])[]): (readonly [number, number])[] {
  return ranges.filter(([start, end]) => !ranges.some(([s, e]) => s <= start && end <= e && (s < start || end < e)));
}

function shifted(pipeline: ShellPipeline, by: number): ShellPipeline {
  return pipeline.map((command) => command.map((word) => ({ raw: word.raw, start: word.start + by })));
}

/** The word's text with quotes and backslashes removed: what a command sees, for words without expansions. */
export function unquoted(word: ShellWord | string): string {
  const raw = typeof word === 'string' ? word : word.raw;
  return raw.replace(/\\(.)/g, '$1').replace(/["']/g, '');
}

const HEREDOC = /^<<(-?)[ \t]*(["']?)([A-Za-z0-9_]+)\2/;

class ShellLexer {
  readonly pipelines: ShellPipeline[] = [];
  /** `[start, end)` of `$(…)`, `<(…)` and backtick bodies, parsed afterwards. */
  readonly nested: [number, number][] = [];
  private at = 0;
  private wordStart: number | undefined;
  private command: ShellWord[] = [];
  private pipeline: ShellCommand[] = [];
  private heredocs: { delimiter: string; stripTabs: boolean }[] = [];

  constructor(private readonly text: string) {}

  run(): void {
    while (this.at < this.text.length) this.next();
    this.endPipeline();
  }

  private next(): void {
    const c = this.text[this.at]!;
    const after = this.text[this.at + 1];
    if (c === '\\' && after === '\n') return this.separate(2); // a line continuation joins lines
    if (c === '\\') return this.inWord(this.at + 2);
    if (c === ' ' || c === '\t' || c === '\r') return this.separate(1);
    if (c === '\n') return this.newline();
    if (c === '#' && this.wordStart === undefined) return this.comment();
    if (c === '|') return this.pipe(after);
    if (c === '&' && after !== '>' && this.text[this.at - 1] !== '>') return this.endCommand(after === '&' ? 2 : 1);
    if (c === ';' || c === '(' || c === ')') return this.endCommand(1);
    if (c === "'") return this.inWord(this.closingQuote(this.at));
    if (c === '"') return this.inWord(this.closingDoubleQuote(this.at));
    if (c === '`') return this.inWord(this.backtick(this.at));
    if ((c === '$' || c === '<' || c === '>') && after === '(') return this.inWord(this.substitution(this.at + 1));
    if (c === '$' && after === '{') return this.inWord(this.braces(this.at + 1));
    if (c === '{' && after === '{') return this.inWord(this.template(this.at));
    if (c === '<' && after === '<') return this.heredoc();
    return this.inWord(this.at + 1);
  }

  private inWord(end: number): void {
    this.wordStart ??= this.at;
    this.at = Math.min(end, this.text.length);
  }

  private separate(width: number): void {
    this.endWord();
    this.at += width;
  }

  private endWord(): void {
    if (this.wordStart === undefined) return;
    this.command.push({ raw: this.text.slice(this.wordStart, this.at), start: this.wordStart });
    this.wordStart = undefined;
  }

  private endCommand(width: number): void {
    this.endWord();
    if (this.command.length > 0) this.pipeline.push(this.command);
    this.command = [];
    this.at += width;
    this.endPipeline();
  }

  private endPipeline(): void {
    this.endWord();
    if (this.command.length > 0) this.pipeline.push(this.command);
    if (this.pipeline.length > 0) this.pipelines.push(this.pipeline);
    this.command = [];
    this.pipeline = [];
  }

  private pipe(after: string | undefined): void {
    if (after === '|') return this.endCommand(2);
    this.endWord();
    if (this.command.length > 0) this.pipeline.push(this.command);
    this.command = [];
    this.at += after === '&' ? 2 : 1;
  }

  private comment(): void {
    const end = this.text.indexOf('\n', this.at);
    this.at = end === -1 ? this.text.length : end;
  }

  /** A newline ends the pipeline; here-document bodies opened on the line start after it. */
  private newline(): void {
    this.endCommand(1);
    for (const { delimiter, stripTabs } of this.heredocs) {
      while (this.at < this.text.length) {
        const end = this.text.indexOf('\n', this.at);
        const line = this.text.slice(this.at, end === -1 ? this.text.length : end);
        this.at = end === -1 ? this.text.length : end + 1;
        if ((stripTabs ? line.replace(/^\t+/, '') : line).trimEnd() === delimiter) break;
      }
    }
    this.heredocs = [];
  }

  private heredoc(): void {
    const match = HEREDOC.exec(this.text.slice(this.at));
    if (match === null) return this.inWord(this.at + (this.text[this.at + 2] === '<' ? 3 : 2));
    this.heredocs.push({ delimiter: match[3]!, stripTabs: match[1] === '-' });
    this.inWord(this.at + match[0].length);
  }

  private closingQuote(open: number): number {
    const close = this.text.indexOf("'", open + 1);
    return close === -1 ? this.text.length : close + 1;
  }

  /** Past the closing `"`; substitutions inside are recorded, `{{…}}` skipped whole (it may hold quotes). */
  private closingDoubleQuote(open: number): number {
    let i = open + 1;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === '"') return i + 1;
      if (c === '\\') i += 2;
      else if (c === '$' && this.text[i + 1] === '(') i = this.substitution(i + 1);
      else if (c === '`') i = this.backtick(i);
      else if (c === '{' && this.text[i + 1] === '{') i = this.template(i);
      else i += 1;
    }
    return i;
  }

  private backtick(open: number): number {
    let close = open + 1;
    while (close < this.text.length && this.text[close] !== '`') close += this.text[close] === '\\' ? 2 : 1;
    this.nested.push([open + 1, Math.min(close, this.text.length)]);
    return close + 1;
  }

  /** `open` is at `(`: past the matching `)`, quotes inside respected; the body is parsed later. */
  private substitution(open: number): number {
    let depth = 0;
    let i = open;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === '(') depth += 1;
      else if (c === ')' && --depth === 0) break;
      i = this.skipQuoted(i);
    }
    this.nested.push([open + 1, Math.min(i, this.text.length)]);
    return i + 1;
  }

  /** `open` is at `{` of `${`: past the matching `}`. */
  private braces(open: number): number {
    let depth = 0;
    for (let i = open; i < this.text.length; i = this.skipQuoted(i)) {
      if (this.text[i] === '{') depth += 1;
      else if (this.text[i] === '}' && --depth === 0) return i + 1;
    }
    return this.text.length;
  }

  private template(open: number): number {
    const close = this.text.indexOf('}}', open + 2);
    return close === -1 ? this.text.length : close + 2;
  }

  /** The index after the character or quoted run at `i`. */
  private skipQuoted(i: number): number {
    const c = this.text[i];
    if (c === "'") return this.closingQuote(i);
    if (c === '"') return this.closingDoubleQuote(i);
    if (c === '\\') return i + 2;
    if (c === '{' && this.text[i + 1] === '{') return this.template(i);
    return i + 1;
  }
}
