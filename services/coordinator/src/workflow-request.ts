import { join } from 'node:path';

import { type Diagnostic, formatDiagnostic } from '@flowline/core';
import { type CompiledWorkflow, type WorkflowBundle, loadWorkflowBundle, readWorkflowBundle } from '@flowline/workflow';

import { ApiError, badRequest } from './api-error.js';
import {
  type JsonObject,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringMap,
} from './request-fields.js';

/** The fields of `POST /v1/runs` and `POST /v1/runs:plan`. */
export const SUBMIT_FIELDS = ['workflow', 'yaml', 'files', 'inputs', 'priority'] as const;

/** The name inline YAML gets in diagnostics and in the run record. */
export const INLINE_FILE = 'inline.yaml';

/** A workflow name as the language allows it; it is also a file name, so nothing else may pass. */
const WORKFLOW_NAME = /^[a-z0-9][a-z0-9-]{0,127}$/;

export interface WorkflowRequest {
  readonly bundle: WorkflowBundle;
  readonly inputs: JsonObject;
  /** 1 (lowest) to 10; the workflow's own when absent. */
  readonly priority: number | undefined;
}

/** The body of a create or plan request, with its workflow read (from the workflows directory, or inline). */
export async function workflowRequest(body: JsonObject, workflowsDir: string): Promise<WorkflowRequest> {
  const name = optionalString(body, 'workflow');
  const yaml = optionalString(body, 'yaml');
  const files = optionalStringMap(body, 'files');
  if ((name === undefined) === (yaml === undefined)) {
    throw badRequest('give exactly one of "workflow" (a name) and "yaml" (the workflow text)');
  }
  if (name !== undefined && files !== undefined) {
    throw badRequest('"files" goes with "yaml": a named workflow reads its files beside it');
  }
  const bundle = name === undefined ? inlineBundle(yaml!, files ?? {}) : await namedBundle(workflowsDir, name);
  return {
    bundle,
    inputs: optionalObject(body, 'inputs') ?? {},
    priority: optionalInteger(body, 'priority', 1, 10),
  };
}

/** Inline YAML and the template files it names, keyed by the path the workflow uses. */
export function inlineBundle(yaml: string, files: Readonly<Record<string, string>>): WorkflowBundle {
  return { file: INLINE_FILE, text: yaml, templateFiles: files };
}

/** Compiles a bundle, or throws 400 `invalid_workflow` with every diagnostic. Also returns the warnings. */
export function compileBundle(bundle: WorkflowBundle): {
  readonly workflow: CompiledWorkflow;
  readonly diagnostics: readonly Diagnostic[];
} {
  const result = loadWorkflowBundle(bundle);
  if (result.ok) return result;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const first = errors[0] ?? result.diagnostics[0];
  const summary = first === undefined ? 'the workflow is not valid' : formatDiagnostic(first);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw new ApiError(400, 'invalid_workflow', `${summary}${more}`, {
    diagnostics: result.diagnostics.map(diagnosticJson),
  });
}

/** A diagnostic as the API shows it: its place, and `text` as `flowline validate` prints it (`file:line:col: …`). */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    end_line: d.endLine,
    end_column: d.endColumn,
    ...(d.path === undefined ? {} : { path: d.path }),
    ...(d.stepId === undefined ? {} : { step_id: d.stepId }),
    text: formatDiagnostic(d),
  };
}

async function namedBundle(workflowsDir: string, name: string): Promise<WorkflowBundle> {
  if (!WORKFLOW_NAME.test(name)) {
    throw badRequest(`"workflow" must be a workflow name ([a-z0-9][a-z0-9-]*), not ${JSON.stringify(name)}`);
  }
  try {
    return await readWorkflowBundle(join(workflowsDir, `${name}.yaml`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'EISDIR') throw error;
    throw new ApiError(404, 'unknown_workflow', `there is no workflow named "${name}" on this coordinator`);
  }
}
