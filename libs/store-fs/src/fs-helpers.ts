import { readFile, unlink } from 'node:fs/promises';

/** Whether `error` carries this `code` (a system error's ENOENT, a FlowlineError's code); duck-typed, realm-safe. */
export function hasCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

/** Removes a file we created and no longer need; a file already gone, or any failure, is not our problem. */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Best effort: a leftover temp file costs disk space, never correctness.
  }
}

/** The file's text, or undefined when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (hasCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}
