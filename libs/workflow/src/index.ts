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
export { LintConfigResolver, type ResolvedLintConfig, loadLintConfig } from './lint/config/lint-config-resolver.js';
export { type ParsedLintConfig, parseLintConfig } from './lint/config/parse-lint-config.js';
export { type ConfiguredSeverity, DEFAULT_LINT_CONFIG, LINT_CONFIG_FILE, type LintConfig } from './lint/lint-config.js';
export { type LintFileOptions, lintFile } from './lint/lint-file.js';
export { type LintConfigFailure, type LintPathsOptions, type LintPathsResult, lintPaths } from './lint/lint-paths.js';
export type { LintCategory, LintRule, LintRuleDescription, LintSeverity } from './lint/lint-rule.js';
export { type LintOptions, lintText } from './lint/lint-text.js';
export {
  type DiagnosticCategory,
  type FileLintResult,
  type LintTotals,
  categoryOf,
  jsonLintReport,
  lintTotals,
  summaryLine,
} from './lint/report/lint-report.js';
export { type SarifOptions, sarifLog } from './lint/report/sarif-report.js';
export { LINT_RULES } from './lint/rules/index.js';
export { META_RULES } from './lint/suppression/meta-rules.js';
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
export { didYouMean } from './util/did-you-mean.js';
