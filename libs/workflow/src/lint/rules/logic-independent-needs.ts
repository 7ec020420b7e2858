import { assertNever } from '@flowline/core';

import type { CompiledStep, CompiledWorkflow } from '../../compile/compiled-workflow.js';
import { StepReads, compiledStep } from './step-facts.js';

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
 *     read files: a template, assert, conditional or webhook step sees only
 *     what its templates read. (A shell or claude_code step may read any
 *     file, directly or through a script it calls, so whether it uses the
 *     template's file cannot be told from the workflow.)
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
  const why = kindReason(compiledStep(workflow, needId), dependent);
  // Whether anything reads through the edge is the costly question: asked last.
  return why === undefined || readThrough(workflow, dependentId, needId) ? undefined : why;
}

/** Why a need of this kind cannot change what the dependent sees, or undefined when it may. */
function kindReason(need: CompiledStep, dependent: CompiledStep): string | undefined {
  switch (need.type) {
    case 'webhook':
      return reachesOutside(dependent)
        ? undefined
        : `a webhook changes only the outside world, which "${dependent.id}" cannot reach`;
    case 'claude_code':
      return need.profile === 'read-only' ? 'a read-only agent changes nothing but its outputs' : undefined;
    case 'template':
      return readsFiles(dependent) ? undefined : `"${dependent.id}" cannot read the file the template writes`;
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

/** Shell and claude_code steps may read any workspace file, directly or through a script they call. */
function readsFiles(step: CompiledStep): boolean {
  return step.type === 'shell' || step.type === 'claude_code';
}
