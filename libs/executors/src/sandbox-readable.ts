import { isAbsolute } from 'node:path';

import { FlowlineError } from '@flowline/core';

/**
 * FLOWLINE_SANDBOX_READABLE: host paths, `:`-separated like PATH, that steps
 * may read although the sandbox's private /tmp hides them — typically the
 * target of a workspace symlink (a `node_modules` linked from a checkout that
 * lives under /tmp). Read-only, and only for paths the operator names.
 */
export function parseSandboxReadable(value: string | undefined): readonly string[] {
  const paths = (value ?? '').split(':').filter((path) => path !== '');
  const relative = paths.find((path) => !isAbsolute(path));
  if (relative !== undefined) {
    throw new FlowlineError('bad_config', `FLOWLINE_SANDBOX_READABLE: "${relative}" is not an absolute path`);
  }
  return paths;
}
