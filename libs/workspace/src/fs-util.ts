import { createHash } from 'node:crypto';
import { createReadStream, type BigIntStats, type Stats } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';

/** Node's error code of a failed fs call, if any. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * lstat, with a missing path as `undefined` — also a file where a directory
 * was expected (ENOTDIR) and a parent that is a symlink loop (ELOOP): none
 * is an entry at that path.
 */
export function lstatIfExists(path: string): Promise<Stats | undefined> {
  return missingAsUndefined(lstat(path));
}

export function lstatBigIfExists(path: string): Promise<BigIntStats | undefined> {
  return missingAsUndefined(lstat(path, { bigint: true }));
}

async function missingAsUndefined<T>(stat: Promise<T>): Promise<T | undefined> {
  try {
    return await stat;
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes(errorCode(error) ?? '')) return undefined;
    throw error;
  }
}

// Small files are read in one call: a stream costs more than the hashing.
const READ_WHOLE_BELOW = 4 * 1024 * 1024;

/** Hex SHA-256 of a file's bytes (the BlobStore's digest of it). */
export async function hashFile(path: string, size?: number | bigint): Promise<string> {
  const hash = createHash('sha256');
  if (size !== undefined && size < READ_WHOLE_BELOW) return hash.update(await readFile(path)).digest('hex');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Permission bits (with setuid, setgid, sticky) of a mode. */
export function permissions(mode: number | bigint): number {
  return Number(mode) & 0o7777;
}

/** Runs `fn` over `items` with at most `limit` at a time, results in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
