import { assertNever } from '@flowline/core';

import type { Dag } from '../dag/dag.js';
import type { StepDefinition } from '../definition/workflow-definition.js';
import type { LogicFacts } from '../validate/validate-logic.js';
import { type PolicyCompiler, bytes } from './compile-policies.js';
import type { BranchMembership, CompiledStep, ForEach, StepTypeFields } from './compiled-workflow.js';
import { LANGUAGE_DEFAULTS } from './language-defaults.js';
import type { TemplateCompiler } from './template-compiler.js';

/** What compiling one step needs from the whole workflow. */
export interface StepCompilation {
  readonly facts: LogicFacts & { readonly dag: Dag };
  readonly policies: PolicyCompiler;
  readonly templates: TemplateCompiler;
  readonly branches: ReadonlyMap<string, BranchMembership[]>;
}

/**
 * One step, compiled: the common fields in one literal, the type's own
 * spread in last. (That shape is deliberate: on Node 20, spreading the large
 * common object into each type's literal cost 7 µs a step, the small
 * type-specific object spread last costs nothing measurable.)
 */
export function compileStep(step: StepDefinition, c: StepCompilation): CompiledStep {
  const { templates } = c;
  const policies = c.policies.forStep(step);
  return {
    id: step.id,
    name: step.name ?? step.id,
    description: step.description,
    needs: Object.freeze(c.facts.dag.parents(step.id)),
    branches: Object.freeze(c.branches.get(step.id) ?? []),
    if: templates.optional(step.if),
    triggerRule: step.trigger_rule ?? 'all_success',
    timeoutMs: policies.timeoutMs,
    retry: policies.retry,
    cache: policies.cache,
    sandbox: policies.sandbox,
    maxOutputBytes: policies.maxOutputBytes,
    env: templates.map(step.env),
    continueOnError: step.continue_on_error ?? false,
    forEach: compileForEach(step, templates),
    ...typeFields(step, c),
  };
}

function typeFields(step: StepDefinition, c: StepCompilation): StepTypeFields {
  const { templates } = c;
  switch (step.type) {
    case 'shell':
      return {
        type: 'shell',
        run: templates.template(step.run),
        shell: step.shell === undefined ? LANGUAGE_DEFAULTS.shell : step.shell.trim().split(/\s+/),
        workingDirectory: step.working_directory,
        outputsFrom: step.outputs_from,
      };
    case 'claude_code':
      return {
        type: 'claude_code',
        prompt: templates.template(step.prompt),
        profile: step.profile ?? LANGUAGE_DEFAULTS.profile,
        maxTurns: step.max_turns,
        model: step.model,
        allowedTools: step.allowed_tools,
        disallowedTools: step.disallowed_tools ?? [],
        appendSystemPrompt: templates.optional(step.append_system_prompt),
        workingDirectory: step.working_directory,
      };
    case 'assert':
      return {
        type: 'assert',
        that:
          typeof step.that === 'string' ? [templates.template(step.that)] : step.that.map((t) => templates.template(t)),
        message: templates.optional(step.message),
        severity: step.severity ?? 'error',
      };
    case 'template': {
      // A template_file's text was read and validated with the workflow, so workers never need the file.
      const fileText = c.facts.templateFiles.get(step.id);
      return {
        type: 'template',
        template: fileText === undefined ? templates.template(step.template!) : templates.template(fileText),
        templateFile: step.template_file,
        output: templates.template(step.output),
      };
    }
    case 'webhook':
      return {
        type: 'webhook',
        url: templates.template(step.url),
        method: step.method ?? 'POST',
        headers: templates.map(step.headers),
        body: step.body === undefined ? undefined : templates.value(step.body),
        expectStatus: step.expect_status,
        maxResponseBytes: bytes(step.max_response_size) ?? LANGUAGE_DEFAULTS.maxResponseBytes,
      };
    case 'conditional':
      return {
        type: 'conditional',
        condition: templates.template(step.condition),
        then: step.then ?? [],
        else: step.else ?? [],
      };
    default:
      return assertNever(step, 'step type');
  }
}

function compileForEach(step: StepDefinition, templates: TemplateCompiler): ForEach | undefined {
  if (step.for_each === undefined) return undefined;
  const maxParallel = step.max_parallel;
  return typeof step.for_each === 'string'
    ? { kind: 'template', items: templates.template(step.for_each), maxParallel }
    : { kind: 'list', items: Object.freeze([...step.for_each]), maxParallel };
}
