import type { SourceSpan } from '@flowline/core';

import type { Dag } from '../dag/dag.js';
import type { TemplatePlace, TemplateReference, TemplateScan } from '../template/scan-template.js';
import { CONTEXT_ROOTS, type ContextRoot, FIXED_FIELDS, STEP_VIEW_FIELDS } from '../template/template-context.js';
import { type PreparedTemplate, describeParseError, prepareTemplate } from '../template/template-engine.js';
import { templateProblems } from '../template/template-problems.js';
import { formatField, listWords } from '../util/describe.js';
import { didYouMean } from '../util/did-you-mean.js';
import type { TemplateField } from './template-fields.js';
import type { ValidationContext } from './validation-context.js';

/** A template read from its own file (`template_file`), whose positions are in that file. */
export interface ExternalTemplateField extends TemplateField {
  readonly file: string;
}

/** Prepared templates by their text, handed to compilation so nothing is parsed twice. */
export type PreparedTemplates = Map<string, PreparedTemplate>;

/**
 * Parses every template and checks what it reads and calls: known helpers,
 * known roots, declared inputs, secrets and env vars, existing steps that are
 * ancestors of the reading step. With no DAG (there was a cycle) ancestry is
 * not checked, to avoid a cascade of findings with one cause.
 */
export function checkTemplates(
  context: ValidationContext,
  dag: Dag | undefined,
  fields: readonly (TemplateField | ExternalTemplateField)[],
): PreparedTemplates {
  const prepared: PreparedTemplates = new Map();
  for (const field of fields) {
    if (!field.source.includes('{{')) continue;
    const checker = new FieldChecker(context, dag, field);
    // The same text in many fields (`{{inputs.repo}}`) is parsed once; what it may read is checked per field.
    const template = prepared.get(field.source) ?? checker.prepare();
    if (template === undefined) continue;
    prepared.set(field.source, template);
    checker.check(template.scan);
  }
  return prepared;
}

/** Checks one template field. Made for every field, so it allocates only when it has something to say. */
class FieldChecker {
  /** Steps already reported as not-an-ancestor in this field: one message each. */
  private reportedSteps: Set<string> | undefined;

  constructor(
    private readonly context: ValidationContext,
    private readonly dag: Dag | undefined,
    private readonly field: TemplateField | ExternalTemplateField,
  ) {}

  /** The env names of this field's step (empty for workflow-level fields). */
  private stepEnvNames(): string[] {
    const { stepId } = this.field.scope;
    const index = stepId === undefined ? undefined : this.context.stepIndex.get(stepId);
    const step = index === undefined ? undefined : this.context.definition.steps[index];
    return Object.keys(step?.env ?? {});
  }

  /**
   * `env.NAME`: the workflow's env, and the step's own — except inside the
   * step's env values, which are rendered from the workflow's env alone (so
   * `A: "{{env.B}}"`, `B: "{{env.A}}"` cannot loop).
   */
  private checkEnv(name: string | undefined, place: TemplatePlace): void {
    const workflowEnv = Object.keys(this.context.definition.env ?? {});
    const inStepEnv = this.field.scope.stepId !== undefined && this.field.path[2] === 'env';
    if (inStepEnv && name !== undefined && !workflowEnv.includes(name) && this.stepEnvNames().includes(name)) {
      this.report(
        'env-self-reference',
        `a step's env values read only the workflow's env; "${name}" is this step's own`,
        place,
      );
      return;
    }
    const declared = inStepEnv ? workflowEnv : [...workflowEnv, ...this.stepEnvNames()];
    this.checkDeclared(name, declared, 'unknown-env', 'environment variable', 'env:', place);
  }

  prepare(): PreparedTemplate | undefined {
    try {
      return prepareTemplate(this.field.source);
    } catch (error) {
      const unclosed = findUnclosedMustache(this.field.source);
      if (unclosed !== undefined) {
        this.report('template-syntax', 'template syntax error: "{{" is never closed with "}}"', unclosed);
        return undefined;
      }
      const { line, reason } = describeParseError(error);
      this.report('template-syntax', `template syntax error: ${reason}`, { line, column: 0 });
      return undefined;
    }
  }

  check(scan: TemplateScan): void {
    for (const problem of templateProblems(scan)) this.report(problem.code, problem.message, problem);
    for (const reference of scan.references) this.checkReference(reference);
  }

  private checkReference(reference: TemplateReference): void {
    const [root, name, member, detail] = reference.path;
    if (!(CONTEXT_ROOTS as readonly string[]).includes(root!)) {
      const hint = didYouMean(root!, CONTEXT_ROOTS);
      this.report(
        'unknown-variable',
        `unknown template variable "${root!}"${hint}; templates read ${listWords([...CONTEXT_ROOTS], 'and')}`,
        reference,
      );
      return;
    }
    const known = root as ContextRoot;
    if (!this.field.scope.roots.has(known)) {
      this.report('out-of-scope', `"${known}" cannot be read here: ${this.field.scope.reason}`, reference);
      return;
    }
    switch (known) {
      case 'inputs':
        return this.checkDeclared(
          name,
          Object.keys(this.context.definition.inputs ?? {}),
          'unknown-input',
          'input',
          'inputs:',
          reference,
        );
      case 'secrets':
        return this.checkDeclared(
          name,
          this.context.definition.secrets ?? [],
          'undeclared-secret',
          'secret',
          'secrets:',
          reference,
        );
      case 'env':
        return this.checkEnv(name, reference);
      case 'steps':
        return this.checkStep(name, member, detail, reference);
      case 'run':
      case 'workflow':
      case 'step': {
        const fields = FIXED_FIELDS[known] ?? [];
        if (name !== undefined && !fields.includes(name)) {
          this.report(
            'unknown-variable',
            `${known}.${name} does not exist; ${known} has ${listWords(fields.map((f) => `${known}.${f}`))}`,
            reference,
          );
        }
        return;
      }
      case 'item':
      case 'index':
        return;
    }
  }

  private checkDeclared(
    name: string | undefined,
    declared: readonly string[],
    code: string,
    noun: string,
    where: string,
    place: TemplatePlace,
  ): void {
    if (name === undefined || declared.includes(name)) return;
    const hint = didYouMean(name, declared);
    const advice = hint === '' ? `; declare it under ${where}` : hint;
    this.report(code, `unknown ${noun} "${name}"${advice}`, place);
  }

  private checkStep(
    id: string | undefined,
    member: string | undefined,
    key: string | undefined,
    place: TemplatePlace,
  ): void {
    if (id === undefined) return;
    const { stepIndex, definition } = this.context;
    const index = stepIndex.get(id);
    if (index === undefined) {
      this.report('unknown-step-ref', `unknown step "${id}" in steps.${id}${didYouMean(id, stepIndex.keys())}`, place);
      return;
    }
    const reader = this.field.scope.stepId;
    if (reader === id) {
      this.report('self-reference', `a step cannot read its own outputs or status (steps.${id})`, place);
      return;
    }
    if (reader !== undefined && this.dag !== undefined && !this.dag.isAncestor(id, reader)) {
      this.reportedSteps ??= new Set();
      if (this.reportedSteps.has(id)) return; // once per field is enough
      this.reportedSteps.add(id);
      this.report(
        'not-an-ancestor',
        `reads steps.${id}, but "${id}" is not among its needs (directly or through other steps), so it may not have run yet; add it to needs`,
        place,
      );
      return;
    }
    if (member !== undefined && !(STEP_VIEW_FIELDS as readonly string[]).includes(member)) {
      this.report(
        'unknown-step-field',
        `steps.${id}.${member} does not exist; a step offers steps.${id}.outputs and steps.${id}.status`,
        place,
      );
      return;
    }
    if (
      member === 'outputs' &&
      key !== undefined &&
      key !== 'items' &&
      definition.steps[index]!.for_each !== undefined
    ) {
      this.report(
        'fan-out-outputs',
        `steps.${id}.outputs.${key}: "${id}" runs for_each, so its outputs are steps.${id}.outputs.items (one entry per item)`,
        place,
      );
    }
  }

  private report(code: string, message: string, place: TemplatePlace): void {
    const field = this.field;
    const stepId = field.scope.stepId;
    const prefix = stepId !== undefined ? `step "${stepId}": ` : `${formatField(field.path)}: `;
    const span: SourceSpan =
      'file' in field
        ? { line: place.line, column: place.column + 1, endLine: place.line, endColumn: place.column + 1 }
        : this.context.positions.templateSpan(field.path, field.source, place);
    this.context.sink.error(code, `${prefix}${message}`, span, {
      path: field.path,
      ...(stepId === undefined ? {} : { stepId }),
      ...('file' in field ? { file: field.file } : {}),
    });
  }
}

/** The place of a `{{` with no `}}` after it: the commonest template typo, worth its own message. */
function findUnclosedMustache(source: string): TemplatePlace | undefined {
  const open = source.lastIndexOf('{{');
  if (open === -1 || source.indexOf('}}', open) !== -1) return undefined;
  const before = source.slice(0, open);
  const line = before.split('\n').length;
  return { line, column: open - (before.lastIndexOf('\n') + 1) };
}
