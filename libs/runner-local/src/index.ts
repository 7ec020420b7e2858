export {
  type LocalRunOptions,
  type LocalRunResult,
  resumeLocalRun,
  retryLocalRun,
  startLocalRun,
} from './local-runner.js';
export type { RunnerDeps } from './runner-deps.js';
