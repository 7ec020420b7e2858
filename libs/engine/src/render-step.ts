import { assertNever } from '@flowline/core';
import type {
  CompiledStep,
  CompiledTemplate,
  CompiledValue,
  CompiledWorkflow,
  SandboxPolicy,
  TemplateMap,
} from '@flowline/workflow';

import { planFor, stepIndex } from './plan.js';
import { type RenderRuntime, type RenderSite, contextFor, renderEnv } from './render-context.js';
import type { RunState } from './run-state.js';
import type { StepKey } from './step-key.js';

/**
 * A step attempt with every template rendered: what an executor runs and
 * what the cache key hashes. Plain data (no templates, no functions), so a
 * cluster can put it on a queue as JSON. Secrets appear here only where the
 * workflow interpolated them, so callers must mask before storing it.
 */
export type RenderedStep =
  RenderedShell | RenderedClaudeCode | RenderedAssert | RenderedTemplate | RenderedWebhook | RenderedConditional;

interface RenderedCommon {
  readonly id: string;
  readonly key: StepKey;
  readonly attempt: number;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  /** The workflow's env, then the step's: the variables the step's process gets (secrets are added by the driver). */
  readonly env: Readonly<Record<string, string>>;
}

export interface RenderedShell extends RenderedCommon {
  readonly type: 'shell';
  readonly run: string;
  readonly shell: readonly string[];
  readonly workingDirectory: string | undefined;
  readonly outputsFrom: string | undefined;
  readonly sandbox: SandboxPolicy;
}

export interface RenderedClaudeCode extends RenderedCommon {
  readonly type: 'claude_code';
  readonly prompt: string;
  readonly profile: string;
  readonly maxTurns: number | undefined;
  readonly model: string | undefined;
  readonly allowedTools: readonly string[] | undefined;
  readonly disallowedTools: readonly string[];
  readonly appendSystemPrompt: string | undefined;
  readonly workingDirectory: string | undefined;
  readonly sandbox: SandboxPolicy;
}

export interface RenderedAssert extends RenderedCommon {
  readonly type: 'assert';
  /** Each condition's rendered text, in order. */
  readonly that: readonly string[];
  readonly message: string | undefined;
  readonly severity: 'error' | 'warning';
}

export interface RenderedTemplate extends RenderedCommon {
  readonly type: 'template';
  readonly content: string;
  readonly output: string;
  readonly templateFile: string | undefined;
}

export interface RenderedWebhook extends RenderedCommon {
  readonly type: 'webhook';
  readonly url: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly headers: Readonly<Record<string, string>>;
  /** A JSON value (sent as JSON), a string (sent as text), or undefined (no body). */
  readonly body: unknown;
  readonly expectStatus: readonly number[] | undefined;
  readonly maxResponseBytes: number;
}

/** Decided by the scheduler itself; rendered only so every type has a shape. */
export interface RenderedConditional extends RenderedCommon {
  readonly type: 'conditional';
  readonly condition: string;
}

/**
 * Renders the attempt `attempt` of `key` against the run's current state.
 * Throws TemplateRenderError (naming the missing value) when a template
 * cannot render; the driver reports that as a non-retryable failure.
 */
export function renderStep(
  workflow: CompiledWorkflow,
  state: RunState,
  key: StepKey,
  attempt: number,
  timeoutMs: number,
  runtime: RenderRuntime,
): RenderedStep {
  const plan = planFor(workflow);
  const step = plan.steps[stepIndex(plan, key.step)]!;
  const site: RenderSite = { step, attempt, ...(key.item === undefined ? {} : { item: itemOf(state, plan, key) }) };
  const env = renderEnv(plan, state, site, runtime);
  const text = (template: CompiledTemplate) =>
    template.isStatic ? template.source : template.render(contextFor(plan, state, template, site, runtime, env));
  const common: RenderedCommon = {
    id: step.id,
    key,
    attempt,
    timeoutMs,
    maxOutputBytes: step.maxOutputBytes,
    env,
  };
  // A webhook body holds many templates: one context covering what all of them read.
  const value = (body: CompiledValue) =>
    body.render(
      contextFor(plan, state, { references: body.templates.flatMap((t) => t.references) }, site, runtime, env),
    );
  return renderFields(step, common, text, value);
}

function itemOf(
  state: RunState,
  plan: ReturnType<typeof planFor>,
  key: StepKey,
): { readonly index: number; readonly value: unknown } {
  const values = state.steps.get(stepIndex(plan, key.step)).itemValues;
  if (values === undefined || key.item === undefined || key.item >= values.length) {
    throw new Error(`run ${state.runId} has no item ${key.item ?? '?'} of step "${key.step}"`);
  }
  return { index: key.item, value: values[key.item] };
}

function renderFields(
  step: CompiledStep,
  common: RenderedCommon,
  text: (template: CompiledTemplate) => string,
  value: (body: CompiledValue) => unknown,
): RenderedStep {
  switch (step.type) {
    case 'shell':
      return {
        ...common,
        type: 'shell',
        run: text(step.run),
        shell: step.shell,
        workingDirectory: step.workingDirectory,
        outputsFrom: step.outputsFrom,
        sandbox: step.sandbox,
      };
    case 'claude_code':
      return {
        ...common,
        type: 'claude_code',
        prompt: text(step.prompt),
        profile: step.profile,
        maxTurns: step.maxTurns,
        model: step.model,
        allowedTools: step.allowedTools,
        disallowedTools: step.disallowedTools,
        appendSystemPrompt: step.appendSystemPrompt === undefined ? undefined : text(step.appendSystemPrompt),
        workingDirectory: step.workingDirectory,
        sandbox: step.sandbox,
      };
    case 'assert':
      return {
        ...common,
        type: 'assert',
        that: step.that.map(text),
        message: step.message === undefined ? undefined : text(step.message),
        severity: step.severity,
      };
    case 'template':
      return {
        ...common,
        type: 'template',
        content: text(step.template),
        output: text(step.output),
        templateFile: step.templateFile,
      };
    case 'webhook':
      return {
        ...common,
        type: 'webhook',
        url: text(step.url),
        method: step.method,
        headers: renderMap(step.headers, text),
        body: step.body === undefined ? undefined : value(step.body),
        expectStatus: step.expectStatus,
        maxResponseBytes: step.maxResponseBytes,
      };
    case 'conditional':
      return { ...common, type: 'conditional', condition: text(step.condition) };
    default:
      return assertNever(step, 'step');
  }
}

function renderMap(map: TemplateMap, text: (template: CompiledTemplate) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in map) out[name] = text(map[name]!);
  return out;
}
