import { sha256Hex } from '@flowline/core';

import type { Dag } from '../dag/dag.js';
import type { WorkflowDefinition } from '../definition/workflow-definition.js';
import type { LogicFacts } from '../validate/validate-logic.js';
import { PolicyCompiler } from './compile-policies.js';
import { compileStep } from './compile-step.js';
import type { BranchMembership, CompiledInput, CompiledStep, CompiledWorkflow } from './compiled-workflow.js';
import { LANGUAGE_DEFAULTS } from './language-defaults.js';
import { TemplateCompiler } from './template-compiler.js';

/** Turns a definition that passed every check into the immutable form the scheduler runs. */
export function compileDefinition(
  definition: WorkflowDefinition,
  facts: LogicFacts & { readonly dag: Dag },
  sourceText: string,
): CompiledWorkflow {
  const templates = new TemplateCompiler(facts.preparedTemplates);
  const context = {
    facts,
    templates,
    policies: new PolicyCompiler(definition.defaults),
    branches: branchMemberships(definition),
  };
  const steps = new Map<string, CompiledStep>();
  for (const step of definition.steps) steps.set(step.id, Object.freeze(compileStep(step, context)));
  return Object.freeze({
    name: definition.name,
    description: definition.description,
    metadata: Object.freeze({ ...definition.metadata }),
    inputs: Object.freeze(compileInputs(definition)),
    env: templates.map(definition.env),
    secrets: Object.freeze([...(definition.secrets ?? [])]),
    concurrency:
      definition.concurrency === undefined
        ? undefined
        : {
            key: templates.template(definition.concurrency.key),
            limit: definition.concurrency.limit ?? LANGUAGE_DEFAULTS.concurrencyLimit,
          },
    priority: definition.priority ?? LANGUAGE_DEFAULTS.priority,
    budget:
      definition.budget === undefined
        ? undefined
        : {
            ...(definition.budget.max_cost_usd === undefined ? {} : { maxCostUsd: definition.budget.max_cost_usd }),
            ...(definition.budget.max_tokens === undefined ? {} : { maxTokens: definition.budget.max_tokens }),
          },
    steps,
    dag: facts.dag,
    outputs: templates.map(definition.outputs),
    digest: sourceDigest(sourceText, facts.templateFiles),
  });
}

function compileInputs(definition: WorkflowDefinition): CompiledInput[] {
  return Object.entries(definition.inputs ?? {}).map(([name, input]) => ({
    name,
    type: input.type ?? 'string',
    required: input.required ?? false,
    ...('default' in input ? { default: input.default } : {}),
    ...(input.enum === undefined ? {} : { enum: input.enum }),
    ...(input.description === undefined ? {} : { description: input.description }),
  }));
}

function branchMemberships(definition: WorkflowDefinition): Map<string, BranchMembership[]> {
  const out = new Map<string, BranchMembership[]>();
  for (const step of definition.steps) {
    if (step.type !== 'conditional') continue;
    for (const branch of ['then', 'else'] as const) {
      for (const target of step[branch] ?? []) {
        out.set(target, [...(out.get(target) ?? []), { conditional: step.id, branch }]);
      }
    }
  }
  return out;
}

/**
 * Identity of a workflow version: the text as written and the template files
 * it reads. Hashing the text is far cheaper than hashing a canonical form, and
 * "same text" is what "same version" means to the people who wrote it.
 */
function sourceDigest(text: string, templateFiles: ReadonlyMap<string, string>): string {
  const files = [...templateFiles].sort(([a], [b]) => a.localeCompare(b));
  return sha256Hex(JSON.stringify([text, files]));
}
