import { FlowlineError } from '@flowline/core';

import { BwrapSandbox } from '../bwrap-sandbox.js';
import { createSandbox } from '../create-sandbox.js';
import type { SandboxRequest } from '../sandbox.js';

/** The real bubblewrap sandbox, found on the test process's PATH. */
export function realBwrap(): BwrapSandbox {
  const { sandbox } = createSandbox({ mode: 'bwrap', searchPath: process.env.PATH });
  if (!(sandbox instanceof BwrapSandbox)) throw new FlowlineError('test_setup', 'expected a bwrap sandbox');
  return sandbox;
}

/** A request for a `sh -c script` step in `workspace`, with a plain PATH and nothing else. */
export function shellRequest(
  workspace: string,
  script: string,
  overrides: Partial<SandboxRequest> = {},
): SandboxRequest {
  return {
    argv: ['sh', '-c', script],
    workspace,
    cwd: workspace,
    env: { PATH: '/usr/bin:/bin' },
    network: false,
    limits: {},
    ...overrides,
  };
}
