import { assertNever } from '@flowline/core';

import type { InputDefinition, StepDefinition, WorkflowDefinition } from '../../definition/workflow-definition.js';
import type { TemplateReference } from '../../template/scan-template.js';
import type { LintContext } from '../lint-rule.js';
import { splicedReferences } from './security-template-reads.js';

/** Where a spliced value comes from, when it is something a script or a prompt should not hold as text. */
export type Taint =
  /** A run input that can hold any text (a string, list or mapping without `enum`). */
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'secret'; readonly name: string }
  /** A webhook step's response `body` or `headers`: whatever the remote server sent. */
  | { readonly kind: 'webhook'; readonly step: string; readonly field: string }
  /** A claude_code step's `result`: text a model wrote, steerable by what it read. */
  | { readonly kind: 'agent'; readonly step: string };

export interface TaintedRead {
  /** The reference in the template at hand (its place is where to report). */
  readonly reference: TemplateReference;
  readonly taint: Taint;
  /** Set when the value arrives indirectly: `env.DIR` (an env value that reads it) or `item` (from `for_each`). */
  readonly via?: string;
}

/** Env values that read env values that read…: deep enough for any real workflow, finite for a loop. */
const MAX_DEPTH = 4;

/** Found once per workflow, step and template: five rules ask about the same scripts and prompts. */
const FOUND = new WeakMap<WorkflowDefinition, Map<string, readonly TaintedRead[]>>();

/** The tainted values a template of `step` splices into its text, directly or through env and `item`. */
export function taintedReads(context: LintContext, step: StepDefinition, source: string): readonly TaintedRead[] {
  let found = FOUND.get(context.definition);
  if (found === undefined) FOUND.set(context.definition, (found = new Map<string, readonly TaintedRead[]>()));
  const key = `${step.id}\n${source}`;
  let reads = found.get(key);
  if (reads === undefined) found.set(key, (reads = readsOf(context, step, source, 0)));
  return reads;
}

function readsOf(context: LintContext, step: StepDefinition, source: string, depth: number): TaintedRead[] {
  return splicedReferences(source).flatMap((reference) =>
    sourcesOf(context, step, reference.path, depth).map((found) => ({ reference, ...found })),
  );
}

function sourcesOf(
  context: LintContext,
  step: StepDefinition,
  path: readonly string[],
  depth: number,
): { taint: Taint; via?: string }[] {
  const [root = '', name = '', field, key] = path;
  if (root === 'inputs')
    return isFreeText(context.definition.inputs?.[name]) ? [{ taint: { kind: 'input', name } }] : [];
  if (root === 'secrets') return [{ taint: { kind: 'secret', name } }];
  if (root === 'steps' && field === 'outputs') return stepOutputTaint(context, name, key);
  if (depth >= MAX_DEPTH) return [];
  if (root === 'env') {
    const value = step.env?.[name] ?? context.definition.env?.[name];
    return indirect(context, step, value === undefined ? '' : String(value), depth, `env.${name}`);
  }
  if (root === 'item' && typeof step.for_each === 'string')
    return indirect(context, step, step.for_each, depth, 'item');
  return [];
}

function indirect(
  context: LintContext,
  step: StepDefinition,
  source: string,
  depth: number,
  via: string,
): { taint: Taint; via: string }[] {
  return readsOf(context, step, source, depth + 1).map((read) => ({ taint: read.taint, via }));
}

/** Inputs typed number, integer or boolean, or limited by `enum`, cannot carry code. */
function isFreeText(input: InputDefinition | undefined): boolean {
  if (input === undefined || input.enum !== undefined) return false;
  return input.type === undefined || input.type === 'string' || input.type === 'array' || input.type === 'object';
}

function stepOutputTaint(context: LintContext, stepId: string, key: string | undefined): { taint: Taint }[] {
  const type = context.workflow.steps.get(stepId)?.type;
  if (type === 'webhook' && (key === 'body' || key === 'headers')) {
    return [{ taint: { kind: 'webhook', step: stepId, field: key } }];
  }
  if (type === 'claude_code' && key === 'result') return [{ taint: { kind: 'agent', step: stepId } }];
  return [];
}

/** How a finding names the value: `inputs.dir`, `inputs.dir (through env.DIR)`. */
export function describeRead(read: TaintedRead): string {
  const origin = describeTaint(read.taint);
  return read.via === undefined ? origin : `${read.reference.path.join('.')} (${origin}, through ${read.via})`;
}

function describeTaint(taint: Taint): string {
  switch (taint.kind) {
    case 'input':
      return `inputs.${taint.name}`;
    case 'secret':
      return `secrets.${taint.name}`;
    case 'webhook':
      return `steps.${taint.step}.outputs.${taint.field}`;
    case 'agent':
      return `steps.${taint.step}.outputs.result`;
    default:
      return assertNever(taint, 'taint');
  }
}
