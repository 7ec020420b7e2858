import { mkdir, realpath, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

import { FlowlineError } from '@flowline/core';
import { workspacePathProblem } from '@flowline/workflow';

import type { ExecutionContext } from './executor.js';

/**
 * Resolves a workspace-relative path for writing, refusing one that is
 * absolute, climbs out with `..`, or reaches outside through a symlink in
 * the workspace. The check runs on the real workspace, where the symlinks
 * the step's ancestors left live.
 */
export async function resolveInsideWorkspace(workspace: string, path: string): Promise<string> {
  const problem = workspacePathProblem(path);
  if (problem !== undefined) throw escapes(path, problem);
  const root = await realpath(workspace);
  const parent = await deepestExisting(join(root, dirname(path)));
  const inside = relative(root, parent);
  if (inside === '..' || inside.startsWith(`..${sep}`)) throw escapes(path, 'leads outside through a symlink');
  return join(root, path);
}

/**
 * Writes a file into the workspace as a step: into the attempt's capture
 * directory when its changes are captured (so a failed attempt leaves the
 * workspace untouched), else into the workspace itself.
 */
export async function writeWorkspaceFile(context: ExecutionContext, path: string, content: string): Promise<void> {
  const target = await resolveInsideWorkspace(context.workspace, path);
  const destination =
    context.capture === undefined
      ? target
      : join(context.capture.upperDir, relative(await realpath(context.workspace), target));
  await mkdir(dirname(destination), { recursive: true });
  await writeFile(destination, content);
}

async function deepestExisting(path: string): Promise<string> {
  for (let candidate = path; ; candidate = dirname(candidate)) {
    try {
      return await realpath(candidate);
    } catch {
      if (dirname(candidate) === candidate) return candidate;
    }
  }
}

function escapes(path: string, why: string): FlowlineError {
  return new FlowlineError(
    'path_escapes_workspace',
    `output path "${path}" ${why}; paths must stay inside the workspace`,
    {
      details: { path },
    },
  );
}
