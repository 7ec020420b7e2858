export { AttemptDirectories } from './attempt-dirs.js';
export {
  type LocalRunOptions,
  type LocalRunResult,
  resumeLocalRun,
  retryLocalRun,
  startLocalRun,
} from './local-runner.js';
export type { RunnerDeps } from './runner-deps.js';
export { type StepAttemptInput, attemptStep, driverFault } from './step-attempt.js';
export { WorkspaceLock } from './workspace-lock.js';
