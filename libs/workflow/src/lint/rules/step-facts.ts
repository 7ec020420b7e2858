import { assertNever } from '@flowline/core';

import type { CompiledStep, CompiledWorkflow } from '../../compile/compiled-workflow.js';
import type { ValuePath } from '../../source/source-positions.js';
import type { CompiledTemplate } from '../../template/template-engine.js';
import type { LintContext } from '../lint-rule.js';

/**
 * Facts about steps that several lint rules ask for: every template a step
 * renders, who reads which step's outputs and status, and where a step names
 * one of its needs. Built from the compiled workflow, so `template_file`
 * texts count like inline templates.
 */

/** Every template a compiled step renders, whatever its type. */
export function stepTemplates(step: CompiledStep): CompiledTemplate[] {
  const common = [...optional(step.if), ...Object.values(step.env)];
  if (step.forEach?.kind === 'template') common.push(step.forEach.items);
  return [...common, ...typeTemplates(step)];
}

function typeTemplates(step: CompiledStep): CompiledTemplate[] {
  switch (step.type) {
    case 'shell':
      return [step.run];
    case 'claude_code':
      return [step.prompt, ...optional(step.appendSystemPrompt)];
    case 'assert':
      return [...step.that, ...optional(step.message)];
    case 'template':
      return [step.template, step.output];
    case 'webhook':
      return [step.url, ...Object.values(step.headers), ...(step.body?.templates ?? [])];
    case 'conditional':
      return [step.condition];
    default:
      return assertNever(step, 'step type');
  }
}

function optional(template: CompiledTemplate | undefined): CompiledTemplate[] {
  return template === undefined ? [] : [template];
}

/** One template's read of `steps.<target>…`. */
export interface StepRead {
  /** The reading step's id; undefined for the workflow's `outputs`. */
  readonly reader: string | undefined;
  readonly target: string;
  /** `outputs` or `status`; undefined when the whole view is read (`{{json steps.build}}`, `{{#with steps.build}}`). */
  readonly member: string | undefined;
  /** The key under `outputs` (`exit_code`); undefined when all of them are read. */
  readonly key: string | undefined;
}

const READS = new WeakMap<CompiledWorkflow, StepReads>();

/**
 * Who reads which step, from the references templates carry. A template
 * that reads the `steps` root itself (`{{json steps}}`, `lookup steps name`)
 * counts as reading every step whole: it may read any of them.
 */
export class StepReads {
  private readonly byTarget = new Map<string, StepRead[]>();

  private constructor(workflow: CompiledWorkflow) {
    const ids = [...workflow.steps.keys()];
    for (const step of workflow.steps.values()) {
      for (const template of stepTemplates(step)) this.add(step.id, template, ids);
    }
    for (const template of Object.values(workflow.outputs)) this.add(undefined, template, ids);
  }

  /** The reads of one workflow, computed once however many rules ask. */
  static of(workflow: CompiledWorkflow): StepReads {
    let reads = READS.get(workflow);
    if (reads === undefined) {
      reads = new StepReads(workflow);
      READS.set(workflow, reads);
    }
    return reads;
  }

  /** Every read of `target`. */
  of(target: string): readonly StepRead[] {
    return this.byTarget.get(target) ?? [];
  }

  /** Whether anything (a step or the workflow's outputs) reads `target`'s `member`, or its whole view. */
  isRead(target: string, member: 'outputs' | 'status'): boolean {
    return this.of(target).some((read) => read.member === undefined || read.member === member);
  }

  /** Whether `reader` reads anything of `target`. */
  reads(reader: string, target: string): boolean {
    return this.of(target).some((read) => read.reader === reader);
  }

  private add(reader: string | undefined, template: CompiledTemplate, ids: readonly string[]): void {
    for (const { path } of template.references) {
      if (path[0] !== 'steps') continue;
      const [, target, member, key] = path;
      const targets = target === undefined ? ids : [target];
      for (const id of targets) this.push({ reader, target: id, member, key });
    }
  }

  private push(read: StepRead): void {
    const list = this.byTarget.get(read.target);
    if (list === undefined) this.byTarget.set(read.target, [read]);
    else list.push(read);
  }
}

/**
 * Where `stepId` names its need `need`: the entry in its own `needs`, else
 * the `then`/`else` entry of the conditional that lists it (an implicit
 * need), else the step's id.
 */
export function needPath(context: LintContext, stepId: string, need: string): ValuePath {
  const index = context.indexOf(stepId);
  const entry = context.step(stepId).needs?.indexOf(need) ?? -1;
  if (entry !== -1) return ['steps', index, 'needs', entry];
  const conditional = context.step(need);
  if (conditional.type === 'conditional') {
    for (const branch of ['then', 'else'] as const) {
      const at = conditional[branch]?.indexOf(stepId) ?? -1;
      if (at !== -1) return ['steps', context.indexOf(need), branch, at];
    }
  }
  return ['steps', index, 'id'];
}

/** The compiled step by id (the workflow is valid, so it exists). */
export function compiledStep(workflow: CompiledWorkflow, stepId: string): CompiledStep {
  const step = workflow.steps.get(stepId);
  if (step === undefined) throw new Error(`unknown step "${stepId}"`);
  return step;
}
