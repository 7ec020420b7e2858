export { BwrapSandbox, bwrapOptions, type BwrapSandboxOptions } from './bwrap-sandbox.js';
export { checkSandbox, type CheckSandboxOptions } from './check-sandbox.js';
export {
  SANDBOX_MODES,
  UNSANDBOXED_WARNING,
  createSandbox,
  type CreateSandboxOptions,
  type CreatedSandbox,
  type SandboxMode,
} from './create-sandbox.js';
export { NoSandbox } from './no-sandbox.js';
export { CAPTURE_MOUNT_FAILED_EXIT } from './overlay-capture.js';
export { prlimitOptions } from './prlimit-args.js';
export type { ChangeCapture, LaunchPlan, Sandbox, SandboxLimits, SandboxRequest } from './sandbox.js';
export { DEFAULT_SEARCH_PATH, findProgram, type SandboxPrograms } from './sandbox-programs.js';
