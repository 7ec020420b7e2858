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
    for (const [path, value] of workspacePaths(step)) checkPath(context, at(...path), value);
  });
  context.definition.defaults?.cache?.files?.forEach((glob, i) =>
    checkPath(context, ['defaults', 'cache', 'files', i], glob),
  );
}

function checkPath(context: ValidationContext, at: ValuePath, path: string): void {
  // A templated path can only be checked once rendered; the executor does that.
  if (path.includes('{{')) return;
  const problem = workspacePathProblem(path);
  if (problem === undefined) return;
  const field = formatField(at[0] === 'steps' ? at.slice(2) : at);
  reportAt(
    context,
    at,
    'path-escapes-workspace',
    `${field} "${path}" ${problem}; paths must stay inside the workspace`,
  );
}

type Step = ValidationContext['definition']['steps'][number];

/** Workspace-relative paths a step names. `template_file` is relative to the workflow file and checked where it is read. */
function workspacePaths(step: Step): [ValuePath, string][] {
  const paths: [ValuePath, string][] = [];
  step.cache?.files?.forEach((glob, i) => paths.push([['cache', 'files', i], glob]));
  if ((step.type === 'shell' || step.type === 'claude_code') && step.working_directory !== undefined) {
    paths.push([['working_directory'], step.working_directory]);
  }
  if (step.type === 'shell' && step.outputs_from !== undefined) paths.push([['outputs_from'], step.outputs_from]);
  if (step.type === 'template') paths.push([['output'], step.output]);
  return paths;
}
