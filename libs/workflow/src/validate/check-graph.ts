import { Dag, type DagEdge } from '../dag/dag.js';
import type { ValuePath } from '../source/source-positions.js';
import { didYouMean } from '../util/did-you-mean.js';
import { type ValidationContext, reportAt } from './validation-context.js';

/** An edge and the YAML entry that declared it, so a cycle can point at its cause. */
interface DeclaredEdge extends DagEdge {
  readonly declaredAt: ValuePath;
}

/**
 * Builds the DAG from `needs` and from conditionals' `then`/`else` (a listed
 * step implicitly needs its conditional). Reports unknown ids, a step listed
 * in both branches, and cycles; returns no DAG when there is a cycle.
 */
export function checkGraph(context: ValidationContext): Dag | undefined {
  const { definition, stepIndex } = context;
  const edges: DeclaredEdge[] = [];
  const known = (id: string, at: ValuePath, field: string): boolean => {
    if (stepIndex.has(id)) return true;
    reportAt(context, at, 'unknown-step', `${field} names unknown step "${id}"${didYouMean(id, stepIndex.keys())}`);
    return false;
  };
  definition.steps.forEach((step, i) => {
    if (stepIndex.get(step.id) !== i) return; // a duplicate id: already reported
    step.needs?.forEach((need, j) => {
      if (known(need, ['steps', i, 'needs', j], 'needs'))
        edges.push({ from: need, to: step.id, declaredAt: ['steps', i, 'needs', j] });
    });
    if (step.type !== 'conditional') return;
    for (const branch of ['then', 'else'] as const) {
      step[branch]?.forEach((target, j) => {
        if (known(target, ['steps', i, branch, j], branch)) {
          edges.push({ from: step.id, to: target, declaredAt: ['steps', i, branch, j] });
        }
      });
    }
    const inBoth = (step.then ?? []).filter((id) => step.else?.includes(id));
    for (const id of inBoth) {
      reportAt(
        context,
        ['steps', i, 'else', step.else!.indexOf(id)],
        'branch-overlap',
        `"${id}" is listed in both then and else`,
      );
    }
  });
  const ids = [...stepIndex.keys()];
  const built = Dag.build(ids, edges);
  if (built.ok) return built.dag;
  for (const cycle of built.cycles) reportCycle(context, cycle, edges);
  return undefined;
}

/**
 * `dependency cycle: a → b → c → a`, read as "a runs before b". Reported at
 * the entry that closes the loop back into the first step of the cycle.
 */
function reportCycle(context: ValidationContext, cycle: readonly string[], edges: readonly DeclaredEdge[]): void {
  const closing = edges.find((e) => e.from === cycle[cycle.length - 2] && e.to === cycle[cycle.length - 1]);
  const text = cycle.join(' → ');
  if (closing === undefined) throw new Error(`cycle ${text} has no closing edge`);
  reportAt(context, closing.declaredAt, 'cycle', `dependency cycle: ${text}`);
}
