import type { WorkflowDefinition } from '../definition/workflow-definition.js';
import type { DiagnosticSink } from '../diagnostics.js';
import type { SourcePositions, ValuePath } from '../source/source-positions.js';

/** What every logic rule reads: the schema-valid definition, where things are, where findings go. */
export interface ValidationContext {
  readonly definition: WorkflowDefinition;
  readonly positions: SourcePositions;
  readonly sink: DiagnosticSink;
  /** Index of each step id's first declaration (duplicates are reported, then ignored). */
  readonly stepIndex: ReadonlyMap<string, number>;
}

/** `step "build": ` for messages about a step's fields; empty for workflow-level paths. */
export function prefixFor(path: ValuePath, context: ValidationContext): string {
  if (path[0] !== 'steps' || typeof path[1] !== 'number') return '';
  return `step "${context.definition.steps[path[1]]!.id}": `;
}

/** Reports an error at the value of `path`, tagged with its step when it belongs to one. */
export function reportAt(context: ValidationContext, path: ValuePath, code: string, message: string): void {
  const stepId = path[0] === 'steps' && typeof path[1] === 'number' ? context.definition.steps[path[1]]!.id : undefined;
  context.sink.error(code, `${prefixFor(path, context)}${message}`, context.positions.valueSpan(path), {
    path,
    ...(stepId === undefined ? {} : { stepId }),
  });
}
