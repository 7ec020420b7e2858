export { retryDelayMs, stableRandom } from './backoff.js';
export type { EngineCommand } from './commands.js';
export type { EngineEvent, StepOutcome } from './events.js';
export { type EnginePlan, planFor } from './plan.js';
export { type RenderRuntime, type RenderSite, contextFor, renderAt, renderEnv, stepView } from './render-context.js';
export { resolveInputs } from './resolve-inputs.js';
export {
  type RunState,
  type RunStatus,
  type StepError,
  type StepState,
  type StepStatus,
  TERMINAL_STATUSES,
  type Usage,
  type WorkState,
  isTerminal,
} from './run-state.js';
export { type Decision, type RunStart, applyEvent, startRun } from './scheduler.js';
export { type StepKey, formatStepKey } from './step-key.js';
export { StepTable } from './step-table.js';
export { type NeedOutcome, type Verdict, judgeTriggerRule } from './trigger-rules.js';
export {
  type RenderedAssert,
  type RenderedClaudeCode,
  type RenderedConditional,
  type RenderedShell,
  type RenderedStep,
  type RenderedTemplate,
  type RenderedWebhook,
  renderStep,
} from './render-step.js';
export { replayRun, resumeCommands, stepsToRetry } from './resume.js';
