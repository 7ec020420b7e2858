import type { Dag } from '../dag/dag.js';
import type { WorkflowDefinition } from '../definition/workflow-definition.js';
import type { DiagnosticSink } from '../diagnostics.js';
import type { SourcePositions } from '../source/source-positions.js';
import { checkGraph } from './check-graph.js';
import { checkInputs } from './check-inputs.js';
import { checkPolicies } from './check-policies.js';
import { checkStepRules } from './check-step-rules.js';
import { indexStepIds } from './check-step-ids.js';
import { type PreparedTemplates, checkTemplates } from './check-templates.js';
import { type TemplateFileReader, loadTemplateFiles } from './template-files.js';
import { templateFields } from './template-fields.js';

/** What logic validation learned that compilation reuses. */
export interface LogicFacts {
  readonly dag: Dag | undefined;
  readonly stepIndex: ReadonlyMap<string, number>;
  /** Every template, parsed and scanned, by its text. */
  readonly preparedTemplates: PreparedTemplates;
  /** `template_file` contents by step id. */
  readonly templateFiles: ReadonlyMap<string, string>;
}

/**
 * The rules a JSON Schema cannot state: unique ids, a graph without unknown
 * ids or cycles, templates that read only what exists and has run, sane
 * durations and sizes, paths inside the workspace, defaults of the right type.
 * Runs every rule and reports everything it finds.
 */
export function validateLogic(
  definition: WorkflowDefinition,
  positions: SourcePositions,
  sink: DiagnosticSink,
  readTemplateFile?: TemplateFileReader,
): LogicFacts {
  const stepIndex = indexStepIds(definition, positions, sink);
  const context = { definition, positions, sink, stepIndex };
  const dag = checkGraph(context);
  checkInputs(context);
  checkPolicies(context);
  checkStepRules(context);
  const files = loadTemplateFiles(context, readTemplateFile);
  const preparedTemplates = checkTemplates(context, dag, [...templateFields(definition), ...files.fields]);
  return { dag, stepIndex, preparedTemplates, templateFiles: files.texts };
}
