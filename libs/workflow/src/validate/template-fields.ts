import { assertNever } from '@flowline/core';

import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition.js';
import type { ValuePath } from '../source/source-positions.js';
import type { ContextRoot } from '../template/template-context.js';

/** Which context roots a template may read, and for a step, which step it belongs to. */
export interface TemplateScope {
  readonly roots: ReadonlySet<ContextRoot>;
  /** Set for step templates: `steps.*` must be ancestors of this step. */
  readonly stepId?: string;
  /** Why a root is missing from `roots`, for the error message. */
  readonly reason: string;
}

export interface TemplateField {
  readonly path: ValuePath;
  readonly source: string;
  readonly scope: TemplateScope;
}

const WORKFLOW_ENV: TemplateScope = {
  roots: new Set(['inputs', 'secrets', 'run', 'workflow']),
  reason: 'workflow env is rendered before any step runs',
};
const CONCURRENCY_KEY: TemplateScope = {
  roots: new Set(['inputs', 'workflow']),
  reason: 'the concurrency key is stored and shown, so it reads inputs and workflow only',
};
const WORKFLOW_OUTPUTS: TemplateScope = {
  roots: new Set(['inputs', 'env', 'steps', 'run', 'workflow']),
  reason: 'workflow outputs are stored and returned by the API, so they cannot read secrets',
};

/** What a step's templates may read; `for_each` itself is rendered before there is an item. */
export function stepScope(step: StepDefinition, withItem = step.for_each !== undefined): TemplateScope {
  const roots = new Set<ContextRoot>(['inputs', 'env', 'secrets', 'steps', 'run', 'workflow', 'step']);
  if (withItem) {
    roots.add('item');
    roots.add('index');
  }
  const reason =
    step.for_each === undefined
      ? 'item and index exist only in steps with for_each'
      : 'for_each itself is rendered before there is an item';
  return { roots, stepId: step.id, reason };
}

/**
 * Every template in a workflow, with where it is and what it may read. The one
 * list of "which fields are templates": validation checks these, compilation
 * compiles these.
 */
export function templateFields(definition: WorkflowDefinition): TemplateField[] {
  const fields: TemplateField[] = [];
  for (const [name, value] of Object.entries(definition.env ?? {})) {
    fields.push({ path: ['env', name], source: String(value), scope: WORKFLOW_ENV });
  }
  if (definition.concurrency !== undefined) {
    fields.push({ path: ['concurrency', 'key'], source: definition.concurrency.key, scope: CONCURRENCY_KEY });
  }
  definition.steps.forEach((step, index) => fields.push(...stepTemplateFields(step, ['steps', index])));
  for (const [name, source] of Object.entries(definition.outputs ?? {})) {
    fields.push({ path: ['outputs', name], source, scope: WORKFLOW_OUTPUTS });
  }
  return fields;
}

function stepTemplateFields(step: StepDefinition, at: ValuePath): TemplateField[] {
  const scope = stepScope(step);
  const fields: TemplateField[] = [];
  const add = (path: ValuePath, source: unknown, fieldScope = scope): void => {
    if (typeof source === 'string') fields.push({ path: [...at, ...path], source, scope: fieldScope });
  };
  if (typeof step.for_each === 'string') add(['for_each'], step.for_each, stepScope(step, false));
  add(['if'], step.if);
  for (const [name, value] of Object.entries(step.env ?? {})) add(['env', name], String(value));
  switch (step.type) {
    case 'shell':
      add(['run'], step.run);
      break;
    case 'claude_code':
      add(['prompt'], step.prompt);
      add(['append_system_prompt'], step.append_system_prompt);
      break;
    case 'assert':
      if (typeof step.that === 'string') add(['that'], step.that);
      else step.that.forEach((source, i) => add(['that', i], source));
      add(['message'], step.message);
      break;
    case 'template':
      add(['template'], step.template);
      add(['output'], step.output);
      break;
    case 'webhook':
      add(['url'], step.url);
      for (const [name, value] of Object.entries(step.headers ?? {})) add(['headers', name], value);
      for (const [path, value] of stringLeaves(step.body, ['body'])) add(path, value);
      break;
    case 'conditional':
      add(['condition'], step.condition);
      break;
    default:
      assertNever(step, 'step type');
  }
  return fields;
}

/** Every string inside a JSON value, with its path: the templated parts of a webhook body. */
export function stringLeaves(value: unknown, at: ValuePath): [ValuePath, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => stringLeaves(item, [...at, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => stringLeaves(item, [...at, key]));
  }
  return [];
}
