import { STEP_TYPES, type StepType } from '@flowline/core';

import { workflowSchema } from './workflow-schema.js';

type SchemaObject = Record<string, unknown>;

/**
 * Facts read off the JSON Schema rather than restated in code, so the
 * validator's messages ("unknown field", "did you mean") follow the schema
 * when it changes.
 */
export interface StepFields {
  /** Fields a step of this type may set: the common ones and its own. */
  readonly allowed: ReadonlySet<string>;
  /** Fields the common schema declares but this type forbids (e.g. `for_each` on a conditional). */
  readonly forbidden: ReadonlySet<string>;
}

const defs = workflowSchema['$defs'] as Record<string, SchemaObject>;

function propertiesOf(schema: SchemaObject | undefined): Record<string, unknown> {
  return (schema?.['properties'] as Record<string, unknown> | undefined) ?? {};
}

function typeSchema(type: StepType): SchemaObject | undefined {
  const branches = (defs['step']?.['allOf'] as SchemaObject[] | undefined) ?? [];
  for (const branch of branches) {
    const condition = propertiesOf(branch['if'] as SchemaObject)['type'] as SchemaObject | undefined;
    if (condition?.['const'] !== type) continue;
    const ref = (branch['then'] as SchemaObject)['$ref'] as string;
    return defs[ref.replace('#/$defs/', '')];
  }
  return undefined;
}

function buildStepFields(): ReadonlyMap<StepType, StepFields> {
  const common = Object.keys(propertiesOf(defs['step']));
  const out = new Map<StepType, StepFields>();
  for (const type of STEP_TYPES) {
    const own = Object.entries(propertiesOf(typeSchema(type)));
    const forbidden = new Set(own.filter(([, s]) => s === false).map(([name]) => name));
    const allowed = new Set([...common, ...own.map(([name]) => name)].filter((name) => !forbidden.has(name)));
    out.set(type, { allowed, forbidden });
  }
  return out;
}

export const STEP_FIELDS: ReadonlyMap<StepType, StepFields> = buildStepFields();

/** Workflow-level fields, for suggestions on a misspelt top-level key. */
export const WORKFLOW_FIELDS: readonly string[] = Object.keys(propertiesOf(workflowSchema));
