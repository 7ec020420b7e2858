import type { WorkflowDefinition } from '../definition/workflow-definition.js';
import type { DiagnosticSink } from '../diagnostics.js';
import type { SourcePositions } from '../source/source-positions.js';

/** Maps each step id to its first declaration and reports every later one. */
export function indexStepIds(
  definition: WorkflowDefinition,
  positions: SourcePositions,
  sink: DiagnosticSink,
): Map<string, number> {
  const index = new Map<string, number>();
  definition.steps.forEach((step, i) => {
    const first = index.get(step.id);
    if (first === undefined) {
      index.set(step.id, i);
      return;
    }
    const firstLine = positions.valueSpan(['steps', first, 'id']).line;
    sink.error(
      'duplicate-step-id',
      `step id "${step.id}" is already used by the step at line ${firstLine}`,
      positions.valueSpan(['steps', i, 'id']),
      { path: ['steps', i, 'id'], stepId: step.id },
    );
  });
  return index;
}
