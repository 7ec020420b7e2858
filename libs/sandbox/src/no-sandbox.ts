import type { LaunchPlan, Sandbox, SandboxRequest } from './sandbox.js';

/**
 * FLOWLINE_SANDBOX=none: the process runs as the caller, with the file
 * system and network the caller has. It still gets only the explicit
 * environment, so a step sees the same variables with or without the
 * sandbox. Writes go straight to the workspace: changes are not captured.
 */
export class NoSandbox implements Sandbox {
  readonly kind = 'none';
  readonly capturesChanges = false;

  launch(request: SandboxRequest): LaunchPlan {
    const [file, ...args] = request.argv;
    if (file === undefined) throw new Error('sandbox: empty argv');
    return { file, args, env: request.env, cwd: request.cwd };
  }
}
