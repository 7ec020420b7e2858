/**
 * The sandbox port: how a step's process is launched. An implementation
 * turns a request into the exact program, arguments and environment to
 * spawn; it never spawns itself, so executors keep one process-handling
 * path (execa) whatever the sandbox.
 */

/** Resource limits applied with prlimit; an unset one is not imposed. */
export interface SandboxLimits {
  readonly memoryBytes?: number;
  readonly cpuTimeMs?: number;
  readonly maxProcesses?: number;
  readonly maxFileBytes?: number;
}

/**
 * Capture a step's writes to the workspace in `upperDir` instead of the
 * workspace itself (an overlay mount: the workspace is the lower layer).
 * `upperDir` and `workDir` are empty host directories on the same
 * filesystem. Only sandboxes whose `capturesChanges` is true honour it.
 */
export interface ChangeCapture {
  readonly upperDir: string;
  readonly workDir: string;
}

export interface SandboxRequest {
  /** The program and its arguments, e.g. `['bash', '-e', '-o', 'pipefail', '-c', script]`. */
  readonly argv: readonly string[];
  /** The run's workspace (host path): the only part of the file system the step may change. */
  readonly workspace: string;
  /** Where the process starts: the workspace or a directory inside it. */
  readonly cwd: string;
  /** The complete environment the process gets: nothing of the caller's leaks in. */
  readonly env: Readonly<Record<string, string>>;
  readonly network: boolean;
  readonly limits: SandboxLimits;
  /** Extra host directories the process may write (the attempt's scratch directory). */
  readonly writable?: readonly string[];
  /**
   * Host paths the process must read that the sandbox would hide: everything
   * is readable except under the private /tmp, so a program installed
   * under /tmp (a checkout there, its node_modules) is listed here.
   */
  readonly readable?: readonly string[];
  readonly capture?: ChangeCapture;
}

/** What to spawn. `env` is complete: spawn with it alone (execa `extendEnv: false`). */
export interface LaunchPlan {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

export interface Sandbox {
  readonly kind: 'bwrap' | 'none';
  /** True when `capture` is honoured (writes land in the upper directory). */
  readonly capturesChanges: boolean;
  launch(request: SandboxRequest): LaunchPlan;
}
