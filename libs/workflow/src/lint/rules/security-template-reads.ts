import { type TemplateReference } from '../../template/scan-template.js';
import { prepareTemplate } from '../../template/template-engine.js';

type Expression = hbs.AST.Expression;

/** Helpers whose result is a boolean or a number: their arguments never reach the text. */
const VALUE_FREE = new Set(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'and', 'or', 'not', 'contains', 'len']);
/** Blocks that only test their argument. */
const CONDITIONS = new Set(['if', 'unless']);

/**
 * The references whose value can end up in the rendered text: `{{inputs.x}}`,
 * `{{default inputs.x "y"}}`, `{{json inputs.x}}`, an `{{#each inputs.x}}`
 * list. Not those only tested (`{{#if inputs.x}}`, `{{eq inputs.x "a"}}`),
 * which put `true`/`false` or a fixed branch in the text.
 */
export function splicedReferences(source: string): readonly TemplateReference[] {
  if (!source.includes('{{')) return [];
  const { program, scan } = prepareTemplate(source);
  const tested = new Set<string>();
  walkProgram(program, tested);
  return scan.references.filter((reference) => !tested.has(placeKey(reference)));
}

function placeKey(place: { line: number; column: number }): string {
  return `${place.line}:${place.column}`;
}

function walkProgram(program: hbs.AST.Program | undefined, tested: Set<string>): void {
  for (const statement of program?.body ?? []) {
    if (statement.type !== 'MustacheStatement' && statement.type !== 'BlockStatement') continue;
    const call = statement as hbs.AST.MustacheStatement | hbs.AST.BlockStatement;
    const name = call.path.type === 'PathExpression' ? (call.path as hbs.AST.PathExpression).original : '';
    const onlyTested = VALUE_FREE.has(name) || (statement.type === 'BlockStatement' && CONDITIONS.has(name));
    for (const argument of argumentsOf(call)) {
      if (onlyTested) markAll(argument, tested);
      else markValueFree(argument, tested);
    }
    if (statement.type === 'BlockStatement') {
      const block = statement as hbs.AST.BlockStatement;
      walkProgram(block.program, tested);
      walkProgram(block.inverse, tested);
    }
  }
}

function argumentsOf(call: { params: Expression[]; hash?: hbs.AST.Hash }): Expression[] {
  return [...call.params, ...(call.hash?.pairs.map((pair) => pair.value) ?? [])];
}

/** Inside a spliced argument, `(eq a b)` still only tests `a` and `b`. */
function markValueFree(expression: Expression, tested: Set<string>): void {
  if (expression.type !== 'SubExpression') return;
  const sub = expression as hbs.AST.SubExpression;
  const name = sub.path.type === 'PathExpression' ? sub.path.original : '';
  for (const argument of argumentsOf(sub)) {
    if (VALUE_FREE.has(name)) markAll(argument, tested);
    else markValueFree(argument, tested);
  }
}

function markAll(expression: Expression, tested: Set<string>): void {
  if (expression.type === 'PathExpression') tested.add(placeKey(expression.loc.start));
  else if (expression.type === 'SubExpression') {
    for (const argument of argumentsOf(expression as hbs.AST.SubExpression)) markAll(argument, tested);
  }
}
