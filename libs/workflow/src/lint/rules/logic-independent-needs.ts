import { assertNever } from '@flowline/core';

import type { CompiledStep, CompiledWorkflow, TemplateStep } from '../../compile/compiled-workflow.js';
import { StepReads, compiledStep, stepTemplates } from './step-facts.js';

/**
 * The heuristic behind `needless-needs` and `serial-chain`: does an edge
 * `need → dependent` only order two steps that could run at once? It says so
 * only when all of these hold, and then returns why (for the message):
 *
 * - the dependent runs under all_success (any other trigger rule is written
 *   precisely to react to how its needs ended);
 * - neither the dependent nor any step after it reads `steps.<need>`, nor a
 *   step before the need that only this edge connects them to (validation
 *   lets a step read only the steps it waits for);
 * - the need cannot change what the dependent sees:
 *   - a webhook changes only the outside world, so it counts when the
 *     dependent cannot reach the outside world: a template, assert or
 *     conditional, or a shell or claude_code step without sandbox network;
 *   - a claude_code step with profile `read-only` changes nothing but its
 *     outputs;
 *   - a template step writes one file, so it counts when the dependent cannot
 *     read files (template, assert, conditional, webhook), or is a shell step
 *     whose text names neither the file, its name without extension, nor its
 *     directory, and runs none of the commands that take the whole workspace
 *     (`git`, `tar`, `zip`, `rsync`, `cp`, `find`). A claude_code dependent may
 *     read any file, so it never counts, nor does an output path that is a
 *     template.
 *
 * Asserts, conditionals, shell steps and agents that may edit are never
 * independent: they gate or change the workspace.
 */
export function independenceReason(
  workflow: CompiledWorkflow,
  dependentId: string,
  needId: string,
): string | undefined {
  const dependent = compiledStep(workflow, dependentId);
  if (dependent.triggerRule !== 'all_success') return undefined;
  if (readThrough(workflow, dependentId, needId)) return undefined;
  const need = compiledStep(workflow, needId);
  switch (need.type) {
    case 'webhook':
      return reachesOutside(dependent)
        ? undefined
        : `a webhook changes only the outside world, which "${dependentId}" cannot reach`;
    case 'claude_code':
      return need.profile === 'read-only' ? 'a read-only agent changes nothing but its outputs' : undefined;
    case 'template':
      return seesFile(dependent, need)
        ? undefined
        : `it does not use the file the template writes (${need.output.source})`;
    case 'shell':
    case 'assert':
    case 'conditional':
      return undefined;
    default:
      return assertNever(need, 'step type');
  }
}

/**
 * Whether the edge is how the dependent, or a step after it, may read
 * something: `steps.<need>` itself, or a step before the need that no other
 * need of the dependent leads to (validation lets a step read only steps it
 * waits for, directly or through others).
 */
function readThrough(workflow: CompiledWorkflow, dependent: string, need: string): boolean {
  const { dag } = workflow;
  const others = compiledStep(workflow, dependent).needs.filter((other) => other !== need);
  const reachedOtherwise = (step: string): boolean =>
    others.some((other) => other === step || dag.isAncestor(step, other));
  const readAfter = (step: string): boolean =>
    StepReads.of(workflow)
      .of(step)
      .some(({ reader }) => reader === dependent || (reader !== undefined && dag.isAncestor(dependent, reader)));
  return readAfter(need) || dag.ancestors(need).some((step) => !reachedOtherwise(step) && readAfter(step));
}

function reachesOutside(step: CompiledStep): boolean {
  if (step.type === 'webhook') return true;
  return (step.type === 'shell' || step.type === 'claude_code') && step.sandbox.network;
}

/** Commands that take the whole workspace, so they use a file without naming it. */
const WHOLE_WORKSPACE = /\b(git|tar|zip|rsync|cp|find)\b/;

function seesFile(dependent: CompiledStep, need: TemplateStep): boolean {
  if (need.output.source.includes('{{')) return true; // which file is known only at run time
  switch (dependent.type) {
    case 'claude_code':
      return true;
    case 'shell': {
      const text = [
        ...stepTemplates(dependent).map((t) => t.source),
        dependent.workingDirectory ?? '',
        dependent.outputsFrom ?? '',
        ...dependent.cache.files,
      ].join('\n');
      return (
        WHOLE_WORKSPACE.test(text) || namesOf(need.output.source).some((name) => text.toLowerCase().includes(name))
      );
    }
    default:
      return false;
  }
}

/** What a text may call a workspace file: its path, its name without extension, its directory. */
function namesOf(path: string): string[] {
  const lower = path.toLowerCase();
  const slash = lower.lastIndexOf('/');
  const base = lower.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  const names = [lower, dot > 0 ? base.slice(0, dot) : base];
  if (slash > 0) names.push(lower.slice(0, slash));
  return names.filter((name) => name !== '' && name !== '.');
}
