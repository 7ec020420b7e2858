import { assertNever, sha256Hex } from '@flowline/core';

import type { Dag } from '../dag/dag.js';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition.js';
import type { ValuePath } from '../source/source-positions.js';
import type { LogicFacts } from '../validate/validate-logic.js';
import { bytes, compilePolicies } from './compile-policies.js';
import type { BranchMembership, CompiledInput, CompiledStep, CompiledWorkflow, ForEach } from './compiled-workflow.js';
import { LANGUAGE_DEFAULTS } from './language-defaults.js';
import { TemplateCompiler } from './template-compiler.js';

/** Turns a definition that passed every check into the immutable form the scheduler runs. */
export function compileDefinition(
  definition: WorkflowDefinition,
  facts: LogicFacts & { readonly dag: Dag },
  sourceText: string,
): CompiledWorkflow {
  const templates = new TemplateCompiler(facts.parsedTemplates);
  const branches = branchMemberships(definition);
  const steps = new Map<string, CompiledStep>();
  definition.steps.forEach((step, i) => {
    const compiled = compileStep(step, ['steps', i], { definition, facts, templates, branches });
    steps.set(step.id, Object.freeze(compiled));
  });
  return Object.freeze({
    name: definition.name,
    description: definition.description,
    metadata: Object.freeze({ ...definition.metadata }),
    inputs: Object.freeze(compileInputs(definition)),
    env: templates.map(['env'], definition.env),
    secrets: Object.freeze([...(definition.secrets ?? [])]),
    concurrency:
      definition.concurrency === undefined
        ? undefined
        : {
            key: templates.template(['concurrency', 'key'], definition.concurrency.key),
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
    outputs: templates.map(['outputs'], definition.outputs),
    digest: sourceDigest(sourceText, facts.templateFiles),
  });
}

interface StepCompilation {
  readonly definition: WorkflowDefinition;
  readonly facts: LogicFacts & { readonly dag: Dag };
  readonly templates: TemplateCompiler;
  readonly branches: ReadonlyMap<string, BranchMembership[]>;
}

function compileStep(step: StepDefinition, at: ValuePath, c: StepCompilation): CompiledStep {
  const { templates } = c;
  const field = (...path: (string | number)[]): ValuePath => [...at, ...path];
  const common = {
    id: step.id,
    name: step.name ?? step.id,
    description: step.description,
    needs: Object.freeze(c.facts.dag.parents(step.id)),
    branches: Object.freeze(c.branches.get(step.id) ?? []),
    if: templates.optional(field('if'), step.if),
    triggerRule: step.trigger_rule ?? 'all_success',
    ...compilePolicies(step, c.definition.defaults),
    env: templates.map(field('env'), step.env),
    continueOnError: step.continue_on_error ?? false,
    forEach: compileForEach(step, field('for_each'), templates),
  };
  switch (step.type) {
    case 'shell':
      return {
        ...common,
        type: 'shell',
        run: templates.template(field('run'), step.run),
        shell: step.shell === undefined ? LANGUAGE_DEFAULTS.shell : step.shell.trim().split(/\s+/),
        workingDirectory: step.working_directory,
        outputsFrom: step.outputs_from,
      };
    case 'claude_code':
      return {
        ...common,
        type: 'claude_code',
        prompt: templates.template(field('prompt'), step.prompt),
        profile: step.profile ?? LANGUAGE_DEFAULTS.profile,
        maxTurns: step.max_turns,
        model: step.model,
        allowedTools: step.allowed_tools,
        disallowedTools: step.disallowed_tools ?? [],
        appendSystemPrompt: templates.optional(field('append_system_prompt'), step.append_system_prompt),
        workingDirectory: step.working_directory,
      };
    case 'assert': {
      const that =
        typeof step.that === 'string'
          ? [templates.template(field('that'), step.that)]
          : step.that.map((t, i) => templates.template(field('that', i), t));
      return {
        ...common,
        type: 'assert',
        that,
        message: templates.optional(field('message'), step.message),
        severity: step.severity ?? 'error',
      };
    }
    case 'template': {
      const fileText = c.facts.templateFiles.get(step.id);
      const template =
        fileText === undefined
          ? templates.template(field('template'), step.template!)
          : templates.template(field('template_file'), fileText);
      return {
        ...common,
        type: 'template',
        template,
        templateFile: step.template_file,
        output: templates.template(field('output'), step.output),
      };
    }
    case 'webhook':
      return {
        ...common,
        type: 'webhook',
        url: templates.template(field('url'), step.url),
        method: step.method ?? 'POST',
        headers: templates.map(field('headers'), step.headers),
        body: step.body === undefined ? undefined : templates.value(field('body'), step.body),
        expectStatus: step.expect_status,
        maxResponseBytes: bytes(step.max_response_size) ?? LANGUAGE_DEFAULTS.maxResponseBytes,
      };
    case 'conditional':
      return {
        ...common,
        type: 'conditional',
        condition: templates.template(field('condition'), step.condition),
        then: step.then ?? [],
        else: step.else ?? [],
      };
    default:
      return assertNever(step, 'step type');
  }
}

function compileForEach(step: StepDefinition, at: ValuePath, templates: TemplateCompiler): ForEach | undefined {
  if (step.for_each === undefined) return undefined;
  const maxParallel = step.max_parallel;
  return typeof step.for_each === 'string'
    ? { kind: 'template', items: templates.template(at, step.for_each), maxParallel }
    : { kind: 'list', items: Object.freeze([...step.for_each]), maxParallel };
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
