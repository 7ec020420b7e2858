import type { LintContext, LintRule } from '../../lint-rule.js';

type IdStyle = 'kebab' | 'snake' | 'mixed' | 'plain';

const STYLE_WORDS = { kebab: 'kebab-case', snake: 'snake_case' } as const;

/** `plain` ids (one word: `build`) fit either style, so they never count or get reported. */
function idStyle(id: string): IdStyle {
  const dash = id.includes('-');
  const underscore = id.includes('_');
  if (dash && underscore) return 'mixed';
  if (dash) return 'kebab';
  return underscore ? 'snake' : 'plain';
}

/**
 * The style most step ids use. A tie goes to the first id that has a style;
 * with none (only mixed ids) kebab-case, the style workflow names must use.
 */
function majorityStyle(ids: readonly string[]): 'kebab' | 'snake' {
  const styles = ids.map(idStyle);
  const kebab = styles.filter((s) => s === 'kebab').length;
  const snake = styles.filter((s) => s === 'snake').length;
  if (kebab !== snake) return kebab > snake ? 'kebab' : 'snake';
  return styles.find((s): s is 'kebab' | 'snake' => s === 'kebab' || s === 'snake') ?? 'kebab';
}

function inStyle(id: string, style: 'kebab' | 'snake'): string {
  return id.replace(/[-_]/g, style === 'kebab' ? '-' : '_');
}

export const inconsistentIdStyle: LintRule = {
  id: 'inconsistent-id-style',
  category: 'best-practice',
  severity: 'warning',
  summary: 'Step ids mix kebab-case and snake_case in one workflow; the ones in the minority style are reported.',
  docs: {
    why:
      'Step ids are typed in `needs`, in templates (`steps.run-tests.outputs`) and on the command line ' +
      '(`flowline retry --from`). When some are `run-tests` and others `build_image`, every reference is a ' +
      'guess, and a wrong guess is an `unknown-step` error. The style the most ids use wins; a tie goes to ' +
      'the first id with a `-` or `_`; one-word ids fit either style.',
    fix:
      'Rename the reported steps to the style the message names, and update their references ' +
      '(`needs`, `then`/`else`, `steps.<id>` in templates).',
    bad:
      'version: 1\nname: ci\nsteps:\n  - { id: unit-tests, type: shell, run: make test }\n' +
      '  - { id: lint-code, type: shell, run: make lint }\n' +
      '  - { id: build_image, type: shell, needs: [unit-tests, lint-code], run: make image }\n',
    good:
      'version: 1\nname: ci\nsteps:\n  - { id: unit-tests, type: shell, run: make test }\n' +
      '  - { id: lint-code, type: shell, run: make lint }\n' +
      '  - { id: build-image, type: shell, needs: [unit-tests, lint-code], run: make image }\n',
  },
  check(context) {
    const ids = context.definition.steps.map((step) => step.id);
    const majority = majorityStyle(ids);
    for (const id of ids) {
      const style = idStyle(id);
      if (style === 'plain' || style === majority) continue;
      const what = style === 'mixed' ? 'mixes "-" and "_"' : `is ${STYLE_WORDS[style]}`;
      context.report({
        message: `step "${id}": id ${what}, but this workflow's step ids are ${STYLE_WORDS[majority]}; rename it "${inStyle(id, majority)}"`,
        path: ['steps', context.indexOf(id), 'id'],
        stepId: id,
      });
    }
  },
};

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const SNAKE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** `maxFiles` → `max_files`, `HTTPPort` → `http_port`, `Max-Files` → `max-files`. */
export function conventionalName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter((word) => word !== '')
    .map((word) => word.toLowerCase());
  return words.join(name.includes('-') && !name.includes('_') ? '-' : '_');
}

function checkNames(context: LintContext, kind: 'input' | 'output', names: readonly string[]): void {
  for (const name of names) {
    if (KEBAB.test(name) || SNAKE.test(name)) continue;
    context.report({
      message: `${kind} "${name}": name is neither kebab-case nor snake_case; rename it "${conventionalName(name)}"`,
      path: [`${kind}s`, name],
      atKey: true,
    });
  }
}

export const inputNameStyle: LintRule = {
  id: 'input-name-style',
  category: 'best-practice',
  severity: 'warning',
  summary: 'An input or output name is neither kebab-case nor snake_case (`maxFiles`, `MAX_FILES`, `_tmp`).',
  docs: {
    why:
      'Inputs are typed by people (`--input max_files=5`, API requests) and read in templates ' +
      '(`inputs.max_files`); outputs are read by callers. Lowercase words joined by `_` or `-` are what ' +
      'the rest of the language uses (step ids, workflow names), so they are what people guess. The ' +
      'language accepts camelCase and capitals, so only lint points them out.',
    fix:
      'Rename the input or output to lowercase words joined by `_` (or `-`), as the message suggests, ' +
      'and update the templates and callers that use it.',
    bad:
      'version: 1\nname: fix-tests\ninputs:\n  maxFiles: { type: integer, default: 5 }\n' +
      "steps:\n  - { id: fix, type: shell, run: 'echo {{inputs.maxFiles}}' }\n",
    good:
      'version: 1\nname: fix-tests\ninputs:\n  max_files: { type: integer, default: 5 }\n' +
      "steps:\n  - { id: fix, type: shell, run: 'echo {{inputs.max_files}}' }\n",
  },
  check(context) {
    checkNames(context, 'input', Object.keys(context.definition.inputs ?? {}));
    checkNames(context, 'output', Object.keys(context.definition.outputs ?? {}));
  },
};
