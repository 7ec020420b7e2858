import { isAbsolute } from 'node:path';

import { FlowlineError } from '@flowline/core';

import type { SandboxRequest } from './sandbox.js';

/**
 * Rejects a request no sandbox can honour, with one line saying why:
 * relative host paths (bwrap would resolve them against its own cwd) and
 * variable names that cannot be set.
 */
export function checkRequest(request: SandboxRequest): void {
  if (request.argv.length === 0) fail('the command (argv) is empty');
  const paths: Array<[string, string]> = [
    ['workspace', request.workspace],
    ['cwd', request.cwd],
    ...(request.writable ?? []).map((dir): [string, string] => ['writable', dir]),
    ...(request.readable ?? []).map((path): [string, string] => ['readable', path]),
  ];
  if (request.capture !== undefined) {
    paths.push(['capture.upperDir', request.capture.upperDir], ['capture.workDir', request.capture.workDir]);
  }
  for (const [what, path] of paths) {
    if (!isAbsolute(path)) fail(`${what} must be an absolute path, got ${JSON.stringify(path)}`);
  }
  for (const name of Object.keys(request.env)) {
    if (name === '' || name.includes('=')) fail(`environment variable name ${JSON.stringify(name)} is not valid`);
  }
}

function fail(message: string): never {
  throw new FlowlineError('bad_sandbox_request', `sandbox: ${message}`);
}
