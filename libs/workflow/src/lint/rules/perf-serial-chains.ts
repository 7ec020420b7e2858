import type { CompiledWorkflow } from '../../compile/compiled-workflow.js';
import { independenceReason } from './logic-independent-needs.js';

/** The fewest steps `serial-chain` reports: three edges in a row that only order their steps. */
export const SERIAL_CHAIN_MIN_STEPS = 4;

const CHAINS = new WeakMap<CompiledWorkflow, readonly (readonly string[])[]>();

/**
 * Chains of at least SERIAL_CHAIN_MIN_STEPS steps in which each step needs
 * only the one before it, is the only step that needs it, and the edge
 * between them only orders them (`independenceReason`). Computed once per
 * workflow: `serial-chain` reports these, and `needless-needs` leaves their
 * edges to it.
 */
export function serialChains(workflow: CompiledWorkflow): readonly (readonly string[])[] {
  let chains = CHAINS.get(workflow);
  if (chains === undefined) {
    chains = findChains(workflow);
    CHAINS.set(workflow, chains);
  }
  return chains;
}

function findChains(workflow: CompiledWorkflow): string[][] {
  const next = new Map<string, string>();
  for (const step of workflow.steps.values()) {
    const [need, ...others] = step.needs;
    if (need === undefined || others.length > 0 || workflow.dag.children(need).length !== 1) continue;
    if (independenceReason(workflow, step.id, need) !== undefined) next.set(need, step.id);
  }
  const linked = new Set(next.values());
  const chains: string[][] = [];
  for (const start of next.keys()) {
    if (linked.has(start)) continue; // not the first step of its chain
    const chain = [start];
    for (let id = next.get(start); id !== undefined; id = next.get(id)) chain.push(id);
    if (chain.length >= SERIAL_CHAIN_MIN_STEPS) chains.push(chain);
  }
  return chains;
}

/** Whether `need → dependent` is an edge of a reported chain. */
export function inSerialChain(workflow: CompiledWorkflow, dependent: string, need: string): boolean {
  return serialChains(workflow).some((chain) => {
    const at = chain.indexOf(dependent);
    return at > 0 && chain[at - 1] === need;
  });
}
