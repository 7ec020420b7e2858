import { listWords } from '../util/describe.js';
import { didYouMean } from '../util/did-you-mean.js';
import { HELPER_ARITY, KNOWN_HELPERS } from './helpers.js';
import type { TemplatePlace, TemplateScan } from './scan-template.js';

export interface TemplateProblem extends TemplatePlace {
  readonly code: 'template-unsupported' | 'unknown-helper' | 'helper-arguments';
  readonly message: string;
}

/**
 * What makes a template unusable whatever the context: a partial or
 * decorator, a helper the language lacks, a helper given the wrong number of
 * arguments. Validation reports these with places; compiling a template
 * directly refuses it on the first.
 */
export function templateProblems(scan: TemplateScan): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const use of scan.unsupported) {
    problems.push({
      code: 'template-unsupported',
      message: `${use.what} are not supported in workflow templates`,
      ...place(use),
    });
  }
  for (const helper of scan.helpers) {
    const arity = HELPER_ARITY[helper.name];
    if (!KNOWN_HELPERS.has(helper.name) || arity === undefined) {
      const message = `unknown helper "${helper.name}"${didYouMean(helper.name, KNOWN_HELPERS)}`;
      problems.push({ code: 'unknown-helper', message, ...place(helper) });
    } else if (helper.arguments < arity[0] || helper.arguments > arity[1]) {
      problems.push({
        code: 'helper-arguments',
        message: `${helper.name} takes ${expected(arity)}, got ${helper.arguments}`,
        ...place(helper),
      });
    }
  }
  return problems;
}

function expected([least, most]: readonly [number, number]): string {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (least === most) return plural(least);
  if (most === Infinity) return `at least ${plural(least)}`;
  return listWords([String(least), plural(most)]);
}

function place(at: TemplatePlace): TemplatePlace {
  return { line: at.line, column: at.column };
}
