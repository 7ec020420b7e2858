import { mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';

import { errorCode } from './fs-util.js';
import { escapes } from './workspace-path.js';

/**
 * The absolute path to write for workspace-relative `path`, with its parent
 * resolved through any symlinks and checked to stay inside `root` (already
 * a realpath), so an entry can never write through a link pointing out.
 * Missing parent directories are made (`create`) or reported as `undefined`.
 */
export async function resolveInside(root: string, path: string, create: boolean): Promise<string | undefined> {
  const missing: string[] = [];
  for (let dir = dirname(join(root, path)); ; dir = dirname(dir)) {
    const real = await realpathIfExists(dir);
    if (real === undefined) {
      if (dir === root || !create) return undefined;
      missing.unshift(basename(dir));
      continue;
    }
    if (real !== root && !real.startsWith(root + sep))
      throw escapes(path, 'would be written through a symlink leading outside the workspace');
    const parent = join(real, ...missing);
    if (missing.length > 0) await mkdir(parent, { recursive: true });
    return join(parent, basename(path));
  }
}

async function realpathIfExists(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}
