import type { Diagnostic } from '@flowline/core';
import type { CompiledStep, CompiledWorkflow } from '@flowline/workflow';

import { diagnosticJson } from './workflow-request.js';

/**
 * A dry run (`POST /v1/runs:plan`): what would run, in what order, without
 * storing or queueing anything.
 *
 * `expected_cache_hit` is `false` where the cache is off (it cannot hit) and
 * `null` otherwise: a step's cache key covers its rendered configuration
 * and the files of its input workspace, which exist only once the steps
 * before it have run, so no honest answer is possible beforehand.
 * `lint` is empty until the linter exists (issue 5).
 */
export function planJson(
  workflow: CompiledWorkflow,
  diagnostics: readonly Diagnostic[],
  inputs: Readonly<Record<string, unknown>>,
  priority: number,
): Record<string, unknown> {
  const levels = topologicalLevels(workflow);
  const critical = workflow.dag.criticalPath();
  return {
    workflow: { name: workflow.name, digest: workflow.digest },
    inputs,
    priority,
    steps: [...workflow.steps.values()].map((step) => stepPlan(step, levels.of.get(step.id) ?? 0)),
    levels: levels.list,
    critical_path: critical.path,
    diagnostics: diagnostics.map(diagnosticJson),
    lint: [],
  };
}

function stepPlan(step: CompiledStep, level: number): Record<string, unknown> {
  return {
    id: step.id,
    type: step.type,
    needs: step.needs,
    trigger_rule: step.triggerRule,
    level,
    conditional: step.if !== undefined || step.branches.length > 0,
    cache_enabled: step.cache.enabled,
    expected_cache_hit: step.cache.enabled ? null : false,
    for_each: forEachPlan(step),
  };
}

/** A literal list's item count is known now; a template's only at run time (`items: null`). */
function forEachPlan(step: CompiledStep): Record<string, unknown> | null {
  const forEach = step.forEach;
  if (forEach === undefined) return null;
  return {
    items: forEach.kind === 'list' ? forEach.items.length : null,
    max_parallel: forEach.maxParallel ?? null,
  };
}

/** Level 0: steps that need nothing; level n: steps whose deepest need is at level n−1. Steps may start level by level at the earliest. */
function topologicalLevels(workflow: CompiledWorkflow): {
  readonly of: ReadonlyMap<string, number>;
  readonly list: string[][];
} {
  const of = new Map<string, number>();
  const list: string[][] = [];
  for (const id of workflow.dag.order) {
    const needs = workflow.steps.get(id)?.needs ?? [];
    const level = needs.reduce((max, need) => Math.max(max, (of.get(need) ?? 0) + 1), 0);
    of.set(id, level);
    (list[level] ??= []).push(id);
  }
  return { of, list };
}
