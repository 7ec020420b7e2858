import type { ValuePath } from '../source/source-positions.js';
import { formatField } from '../util/describe.js';
import { type ValidationContext, reportAt } from './validation-context.js';
import { workspacePathProblem } from './workspace-path.js';

/** Field-level rules of steps that the schema cannot express. */
export function checkStepRules(context: ValidationContext): void {
  context.definition.steps.forEach((step, i) => {
    const at = (...path: (string | number)[]): ValuePath => ['steps', i, ...path];
    if (step.max_parallel !== undefined && step.for_each === undefined) {
      reportAt(
        context,
        at('max_parallel'),
        'max-parallel-without-for-each',
        'max_parallel has no effect without for_each',
      );
    }
    if (typeof step.for_each === 'string' && !step.for_each.includes('{{')) {
      reportAt(
        context,
        at('for_each'),
        'for-each-not-template',
        'for_each must be a template that renders a JSON array, e.g. "{{json steps.list.outputs.files}}", or a YAML list',
      );
    }
    for (const [path, value, templated] of workspacePaths(step)) checkPath(context, at(...path), value, templated);
  });
  context.definition.defaults?.cache?.files?.forEach((glob, i) =>
    checkPath(context, ['defaults', 'cache', 'files', i], glob, false),
  );
}

/**
 * A workspace path must be relative and stay inside. Only a template step's
 * `output` is a template; elsewhere `{{` is plain text and the whole path is
 * checked. For `output`, the text before the first `{{` is checked now
 * (`/abs/{{x}}` is absolute whatever x is) and the rendered path at run time.
 */
function checkPath(context: ValidationContext, at: ValuePath, path: string, templated: boolean): void {
  const field = formatField(at[0] === 'steps' ? at.slice(2) : at);
  if (!templated && path.includes('{{')) {
    reportAt(context, at, 'not-a-template', `${field} is not a template: "{{" in it would be taken literally`);
    return;
  }
  const fixed = templated && path.includes('{{') ? path.slice(0, path.indexOf('{{')) : path;
  const problem = fixed === '' ? undefined : workspacePathProblem(fixed);
  if (problem === undefined) return;
  reportAt(
    context,
    at,
    'path-escapes-workspace',
    `${field} "${path}" ${problem}; paths must stay inside the workspace`,
  );
}

type Step = ValidationContext['definition']['steps'][number];

/** Workspace-relative paths a step names, and whether each is a template. `template_file` is relative to the workflow file and checked where it is read. */
function workspacePaths(step: Step): [ValuePath, string, boolean][] {
  const paths: [ValuePath, string, boolean][] = [];
  step.cache?.files?.forEach((glob, i) => paths.push([['cache', 'files', i], glob, false]));
  if ((step.type === 'shell' || step.type === 'claude_code') && step.working_directory !== undefined) {
    paths.push([['working_directory'], step.working_directory, false]);
  }
  if (step.type === 'shell' && step.outputs_from !== undefined)
    paths.push([['outputs_from'], step.outputs_from, false]);
  if (step.type === 'template') paths.push([['output'], step.output, true]);
  return paths;
}
