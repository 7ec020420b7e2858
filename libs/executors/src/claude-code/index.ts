export { type ClaudeConfig, type SecurityProfile, loadClaudeConfig } from './claude-config.js';
export { claudeCodeExecutor } from './claude-code-executor.js';
export { BUILTIN_PROFILES, type EffectiveTools, effectiveTools } from './profiles.js';
export { loadProfilesFile } from './profiles-file.js';
export { type AssistantMessage, toolResultsOf } from './scripted-messages.js';
export {
  type RecordedRequest,
  type ScriptStep,
  type ScriptedBlock,
  type ScriptedError,
  type ScriptedModelServer,
  type ScriptedReply,
  type ScriptedTurn,
  type ScriptedUsage,
  startScriptedModelServer,
} from './scripted-model-server.js';
