export { AttemptDirectories } from './attempt-dirs.js';
export { type AttemptInput, runAttempt } from './attempt.js';
export {
  type LocalRunOptions,
  type LocalRunResult,
  resumeLocalRun,
  retryLocalRun,
  startLocalRun,
} from './local-runner.js';
export { LogWriter } from './log-writer.js';
export type { RunnerDeps } from './runner-deps.js';
export { workspaceConflict } from './workspace-conflicts.js';
export { WorkspaceLock } from './workspace-lock.js';
