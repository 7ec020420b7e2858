import type { TemplateStepDefinition } from '../definition/workflow-definition.js';
import { overLimit } from '../util/describe.js';
import type { ExternalTemplateField } from './check-templates.js';
import { stepScope } from './template-fields.js';
import { type ValidationContext, reportAt } from './validation-context.js';
import { workspacePathProblem } from './workspace-path.js';

/** Reads a `template_file`, relative to the workflow file's directory. */
export type TemplateFileReader = (
  relativePath: string,
) =>
  { readonly ok: true; readonly text: string; readonly file: string } | { readonly ok: false; readonly reason: string };

const MAX_TEMPLATE_FILE_BYTES = 1024 * 1024;

/**
 * Loads every `template_file` so its template is validated like an inline one
 * and compiled into the workflow: a cluster worker then needs no access to
 * the file the workflow came from.
 */
export function loadTemplateFiles(
  context: ValidationContext,
  read: TemplateFileReader | undefined,
): { fields: ExternalTemplateField[]; texts: Map<string, string> } {
  const fields: ExternalTemplateField[] = [];
  const texts = new Map<string, string>();
  context.definition.steps.forEach((step, i) => {
    if (step.type !== 'template' || step.template_file === undefined) return;
    const text = loadOne(context, step, i, read);
    if (text === undefined) return;
    texts.set(step.id, text.text);
    fields.push({ path: ['steps', i, 'template_file'], source: text.text, scope: stepScope(step), file: text.file });
  });
  return { fields, texts };
}

function loadOne(
  context: ValidationContext,
  step: TemplateStepDefinition,
  index: number,
  read: TemplateFileReader | undefined,
): { text: string; file: string } | undefined {
  const at = ['steps', index, 'template_file'];
  const path = step.template_file!;
  const problem = workspacePathProblem(path);
  if (problem !== undefined) {
    reportAt(
      context,
      at,
      'path-escapes-workspace',
      `template_file "${path}" ${problem}; it must be inside the workflow's directory`,
    );
    return undefined;
  }
  if (read === undefined) {
    reportAt(
      context,
      at,
      'template-file-unavailable',
      'template_file needs a workflow read from a file; use an inline template: instead',
    );
    return undefined;
  }
  const result = read(path);
  if (!result.ok) {
    reportAt(context, at, 'template-file-unreadable', `template_file: ${result.reason}`);
    return undefined;
  }
  const bytes = Buffer.byteLength(result.text);
  if (bytes > MAX_TEMPLATE_FILE_BYTES) {
    reportAt(context, at, 'file-too-large', `template_file "${path}" ${overLimit(bytes, MAX_TEMPLATE_FILE_BYTES)}`);
    return undefined;
  }
  return { text: result.text, file: result.file };
}
