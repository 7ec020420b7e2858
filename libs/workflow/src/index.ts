export type {
  AssertStep,
  BranchMembership,
  Budget,
  CachePolicy,
  ClaudeCodeStep,
  CompiledInput,
  CompiledStep,
  CompiledValue,
  CompiledWorkflow,
  ConditionalStep,
  ForEach,
  RetryPolicy,
  SandboxPolicy,
  ShellStep,
  TemplateMap,
  TemplateStep,
  WebhookStep,
} from './compile/compiled-workflow.js';
export { LANGUAGE_DEFAULTS } from './compile/language-defaults.js';
export { Dag, type DagBuildResult, type DagEdge } from './dag/dag.js';
export type { StepDefinition, WorkflowDefinition } from './definition/workflow-definition.js';
export { GRAPH_FORMATS, type GraphFormat, renderGraph } from './graph/render-graph.js';
export { type LoadResult, type LoadWorkflowOptions, loadWorkflow, loadWorkflowFile } from './load-workflow.js';
export { DEFAULT_SOURCE_LIMITS, type SourceLimits } from './source/source-limits.js';
export { HELPERS, KNOWN_HELPERS } from './template/helpers.js';
export type { StepView, TemplateContext } from './template/template-context.js';
export { type CompiledTemplate, compileBare, compileTemplate, render } from './template/template-engine.js';
export { isTruthyText, isTruthyValue } from './template/truthiness.js';
export type { TemplateFileReader } from './validate/template-files.js';
export { matchesInputType } from './validate/check-inputs.js';
export { workspacePathProblem } from './validate/workspace-path.js';
export { type WorkflowBundle, loadWorkflowBundle, readWorkflowBundle } from './workflow-bundle.js';
