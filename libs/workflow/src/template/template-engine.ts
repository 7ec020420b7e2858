import { TemplateRenderError, ValidationError, errorMessage } from '@flowline/core';
import Handlebars from 'handlebars';

import { quote } from '../util/describe.js';
import { BLOCK_HELPERS, BUILTIN_HELPERS, HELPERS } from './helpers.js';
import { parseSimpleTemplate } from './parse-simple-template.js';
import { type TemplateReference, type TemplateScan, scanTemplate } from './scan-template.js';
import type { TemplateContext } from './template-context.js';
import { templateProblems } from './template-problems.js';

/**
 * One Handlebars environment for the whole process, holding exactly the
 * language's helpers. Isolated from the global `Handlebars` so nothing else
 * in the process can add helpers or partials to workflows.
 */
const handlebars = Handlebars.create();
for (const [name, helper] of Object.entries({ ...HELPERS, ...BLOCK_HELPERS })) handlebars.registerHelper(name, helper);

/** The parts of Handlebars' (untyped) code generator that `append` uses. */
interface CodeGenerator {
  isInline(): number;
  replaceStack(callback: (current: unknown) => unknown[]): void;
  popStack(): unknown;
  pushSource(source: unknown): void;
  appendToBuffer(source: unknown): unknown;
  append(): void;
  /** The class nested blocks are generated with. */
  compiler: unknown;
}
type CodeGeneratorClass = new () => CodeGenerator;

/**
 * How `{{value}}` becomes text, generated inline into every template: lists
 * and mappings as JSON (Handlebars gives `a,b` and `[object Object]`; a
 * prompt or script that receives structure wants it whole, and `join` makes
 * the comma form), everything else as `"" + value`. This also fixes a
 * Handlebars 4.7 bug: with `noEscape` it appends values raw and joins adjacent
 * appends with `+`, so `{{a}}{{b}}` with a=1, b=2 rendered "3"
 * (handlebars.js#1838). Only this environment's code generator is changed.
 * `replaceStack` hands the callback a stack variable or a literal, so naming
 * it three times evaluates nothing twice.
 */
const environment = handlebars as unknown as { JavaScriptCompiler: CodeGeneratorClass };
const BaseGenerator = environment.JavaScriptCompiler;
class TextAppendingGenerator extends BaseGenerator {
  override append(): void {
    if (!this.isInline()) return super.append();
    this.replaceStack((value) => [
      ' != null ? (typeof ',
      value,
      ' === "object" ? JSON.stringify(',
      value,
      ') : "" + ',
      value,
      ') : ""',
    ]);
    this.pushSource(this.appendToBuffer(this.popStack()));
  }
}
TextAppendingGenerator.prototype.compiler = TextAppendingGenerator; // nested blocks use it too
environment.JavaScriptCompiler = TextAppendingGenerator;

const COMPILE_OPTIONS: CompileOptions = {
  // A `{{path}}` that resolves to nothing is an error at run time, not an
  // empty string that turns `rm -rf {{inputs.dir}}/build` into `rm -rf /build`.
  strict: true,
  // Templates call the language's helpers only; an unknown name fails to compile.
  knownHelpersOnly: true,
  knownHelpers: {
    ...Object.fromEntries([...Object.keys(HELPERS), ...BUILTIN_HELPERS].map((name) => [name, true])),
    log: false,
  },
  // No HTML escaping: templates produce shell scripts, prompts, JSON and
  // Markdown, never HTML; escaping would turn `a && b` into `a &amp;&amp; b`.
  noEscape: true,
};

/** A template ready to render, with what it reads known ahead of time. */
export interface CompiledTemplate {
  readonly source: string;
  /** No expressions: rendering returns `source` without calling Handlebars. */
  readonly isStatic: boolean;
  readonly references: readonly TemplateReference[];
  readonly helpers: TemplateScan['helpers'];
  readonly render: (context: TemplateContext) => string;
}

/** Parses template text; throws Handlebars' parse error (see `describeParseError`). */
export function parseTemplate(source: string): hbs.AST.Program {
  return parseSimpleTemplate(source) ?? handlebars.parse(source);
}

/** A parsed template and what it reads and calls: validation's work, reused by compilation. */
export interface PreparedTemplate {
  readonly program: hbs.AST.Program;
  readonly scan: TemplateScan;
}

/** Parses and scans a template; throws Handlebars' parse error (see `describeParseError`). */
export function prepareTemplate(source: string): PreparedTemplate {
  const program = parseTemplate(source);
  return { program, scan: scanTemplate(program) };
}

/**
 * Compiles a template once: parse, scan, and Handlebars code generation on
 * first render. `prepared` lets a caller that already parsed and scanned
 * (validation) hand that over instead of doing it twice.
 */
export function compileTemplate(source: string, prepared?: PreparedTemplate): CompiledTemplate {
  if (!source.includes('{{')) {
    return { source, isStatic: true, references: [], helpers: [], render: () => source };
  }
  const { program, scan } = prepared ?? prepareTemplate(source);
  const [problem] = templateProblems(scan);
  if (problem !== undefined) throw new ValidationError(problem.code, `${problem.message} (in ${quote(source)})`);
  const delegate = handlebars.compile(program, COMPILE_OPTIONS);
  const template: CompiledTemplate = {
    source,
    isStatic: false,
    references: scan.references,
    helpers: scan.helpers,
    render(context) {
      try {
        return delegate(context);
      } catch (error) {
        throw explainRenderFailure(template, context, error);
      }
    },
  };
  return template;
}

/** Renders a compiled template; failures are `TemplateRenderError`s that name the missing value. */
export function render(template: CompiledTemplate, context: TemplateContext): string {
  return template.render(context);
}

/** The bare Handlebars function with the language's options: the benchmark's floor. */
export function compileBare(source: string): HandlebarsTemplateDelegate {
  return handlebars.compile(source, COMPILE_OPTIONS);
}

/**
 * Handlebars reports a missing value as `"pct" not defined in [object Object]`
 * or a bare TypeError. Walk the template's own references against the
 * context to name the first one that does not resolve.
 */
function explainRenderFailure(
  template: CompiledTemplate,
  context: TemplateContext,
  error: unknown,
): TemplateRenderError {
  for (const reference of template.references) {
    let value: unknown = context;
    for (let i = 0; i < reference.path.length; i++) {
      const part = reference.path[i]!;
      const container = value;
      value =
        container !== null && typeof container === 'object' && Object.hasOwn(container, part)
          ? (container as Record<string, unknown>)[part]
          : undefined;
      const isLast = i === reference.path.length - 1;
      if (value === undefined && (!isLast || reference.mustExist)) {
        const missing = reference.path.slice(0, i + 1).join('.');
        const consequence = isLast ? '' : `, so ${reference.path.join('.')} cannot be read`;
        return new TemplateRenderError(`${missing} is not defined${consequence} (in ${quote(template.source)})`, {
          reference: reference.path.join('.'),
          line: reference.line,
          column: reference.column,
        });
      }
    }
  }
  const reason = errorMessage(error);
  return new TemplateRenderError(`template ${quote(template.source)} failed: ${reason}`);
}

const TOKEN_WORDS: Record<string, string> = {
  CLOSE: '"}}"',
  CLOSE_UNESCAPED: '"}}}"',
  EOF: 'the end of the text',
  INVALID: 'invalid text',
  OPEN_ENDBLOCK: '"{{/…}}"',
  ID: 'a name',
  CLOSE_SEXPR: '")"',
};

/**
 * Handlebars parse errors are multi-line with an ASCII caret; turn one into a
 * line number and a short reason: `expected "}}", got the end of the text`.
 */
export function describeParseError(error: unknown): { line: number; reason: string } {
  const message = errorMessage(error);
  const line = Number(/on line (\d+)/.exec(message)?.[1] ?? /- (\d+):\d+$/.exec(message)?.[1] ?? 1);
  const expecting = /Expecting (.+), got '(\w+)'/.exec(message);
  if (expecting) {
    const wanted = [...expecting[1]!.matchAll(/'(\w+)'/g)].map((m) => m[1]!);
    const words = [...new Set(wanted.map((t) => TOKEN_WORDS[t]).filter((w): w is string => w !== undefined))];
    const got = TOKEN_WORDS[expecting[2]!] ?? expecting[2]!;
    return {
      line,
      reason: `expected ${words.length > 0 ? words.slice(0, 3).join(' or ') : 'an expression'}, got ${got}`,
    };
  }
  return { line, reason: message.split('\n')[0]!.replace(/ - \d+:\d+$/, '') };
}
