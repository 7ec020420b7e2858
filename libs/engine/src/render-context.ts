import type { CompiledStep, CompiledTemplate, StepView, TemplateContext, TemplateMap } from '@flowline/workflow';

import type { EnginePlan } from './plan.js';
import type { RunState, StepState, WorkState } from './run-state.js';

/** What rendering needs beyond the run's state: values that must never be stored in it. */
export interface RenderRuntime {
  /** Declared secrets' values, read from the environment by the driver. */
  readonly secrets: Readonly<Record<string, string>>;
}

/** Where a template is rendered: for a step (and item, attempt), or for the workflow. */
export interface RenderSite {
  readonly step?: CompiledStep;
  readonly attempt?: number;
  readonly item?: { readonly index: number; readonly value: unknown };
}

/**
 * The context for one template, holding only the roots it reads: a template
 * that reads `steps.build.outputs.sha` gets a `steps` with just `build`. That
 * keeps rendering O(what the template reads) in a run of 10,000 steps.
 * Validation proved every root it reads exists here.
 */
export function contextFor(
  plan: EnginePlan,
  state: RunState,
  template: Pick<CompiledTemplate, 'references'>,
  site: RenderSite,
  runtime: RenderRuntime,
  env?: Readonly<Record<string, string>>,
): TemplateContext {
  const reads = new Set<string>();
  let allSteps = false;
  for (const { path } of template.references) {
    if (path[0] !== 'steps') continue;
    if (path[1] === undefined) allSteps = true;
    else reads.add(path[1]);
  }
  const steps: Record<string, StepView> = {};
  const ids = allSteps ? plan.steps.map((s) => s.id) : reads;
  for (const id of ids) {
    const index = plan.indexOf.get(id);
    if (index !== undefined) steps[id] = stepView(state.steps.get(index));
  }
  const needsEnv = template.references.some(({ path }) => path[0] === 'env');
  return {
    inputs: state.inputs,
    env: env ?? (needsEnv ? renderEnv(plan, state, site, runtime) : {}),
    secrets: runtime.secrets,
    steps,
    run: { id: state.runId },
    workflow: { name: plan.workflow.name },
    ...(site.step === undefined ? {} : { step: { id: site.step.id, attempt: site.attempt ?? 1 } }),
    ...(site.item === undefined ? {} : { item: site.item.value, index: site.item.index }),
  };
}

/** Renders a template where it belongs. Throws TemplateRenderError naming a missing value. */
export function renderAt(
  plan: EnginePlan,
  state: RunState,
  template: CompiledTemplate,
  site: RenderSite,
  runtime: RenderRuntime,
): string {
  return template.isStatic ? template.source : template.render(contextFor(plan, state, template, site, runtime));
}

/**
 * Environment variables as a step sees them: the workflow's env, then the
 * step's own (which may read the workflow's). Validation keeps the first
 * from reading env and the second from reading its own step's.
 */
export function renderEnv(
  plan: EnginePlan,
  state: RunState,
  site: RenderSite,
  runtime: RenderRuntime,
): Record<string, string> {
  const render = (t: CompiledTemplate, at: RenderSite, env: Readonly<Record<string, string>>) =>
    t.isStatic ? t.source : t.render(contextFor(plan, state, t, at, runtime, env));
  const workflowEnv = renderMap(plan.workflow.env, (t) => render(t, {}, {}));
  if (site.step === undefined) return workflowEnv;
  return { ...workflowEnv, ...renderMap(site.step.env, (t) => render(t, site, workflowEnv)) };
}

function renderMap(map: TemplateMap, render: (template: CompiledTemplate) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in map) out[name] = render(map[name]!);
  return out;
}

/** `steps.<id>` in templates: status and outputs, the common outputs included. */
export function stepView(step: StepState): StepView {
  const outputs =
    step.items === undefined ? workOutputs(step) : { ...commonOutputs(step), items: step.items.map(workOutputs) };
  return { status: step.status, outputs };
}

function workOutputs(work: WorkState): Record<string, unknown> {
  return { ...work.outputs, ...commonOutputs(work) };
}

/** What every step outputs besides its own: status, start time, duration, cache hit. */
function commonOutputs(work: WorkState): Record<string, unknown> {
  const out: Record<string, unknown> = { status: work.status };
  if (work.startedAt !== undefined) out['started_at'] = new Date(work.startedAt).toISOString();
  if (work.startedAt !== undefined && work.finishedAt !== undefined)
    out['duration_ms'] = work.finishedAt - work.startedAt;
  if (work.cacheHit !== undefined) out['cache_hit'] = work.cacheHit;
  return out;
}
