export { NoSandbox } from './no-sandbox.js';
export type { ChangeCapture, LaunchPlan, Sandbox, SandboxLimits, SandboxRequest } from './sandbox.js';
