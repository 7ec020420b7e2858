import { checkRequest } from './check-request.js';
import type { LaunchPlan, Sandbox, SandboxRequest } from './sandbox.js';

/**
 * FLOWLINE_SANDBOX=none: the process runs as the caller, with the file
 * system and network the caller has, and no resource limits (prlimit may not
 * exist where bwrap does not). It still gets only the explicit environment,
 * so a step sees the same variables with or without the sandbox. Writes go
 * straight to the workspace: changes are not captured.
 */
export class NoSandbox implements Sandbox {
  readonly kind = 'none';
  readonly capturesChanges = false;

  launch(request: SandboxRequest): LaunchPlan {
    // The same checks as bwrap's, so a request that works here works there.
    checkRequest(request);
    const [file, ...args] = request.argv;
    if (file === undefined) throw new Error('unreachable: checkRequest rejects an empty argv');
    return { file, args, env: request.env, cwd: request.cwd };
  }
}
