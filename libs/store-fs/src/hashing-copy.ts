import { createHash } from 'node:crypto';
import { type FileHandle, open } from 'node:fs/promises';

import { writeAll } from './atomic-file.js';
import { removeQuietly } from './fs-helpers.js';

const CHUNK = 1024 * 1024;

/**
 * Copies everything readable from `source` into a new file at `target`,
 * hashing (SHA-256) on the way, so the bytes are read once. The new file
 * gets exactly `mode` (no umask). On failure the target is removed.
 */
export async function copyHashing(
  source: FileHandle,
  target: string,
  options: { readonly mode: number; readonly durable: boolean },
): Promise<{ readonly digest: string; readonly size: number }> {
  const out = await open(target, 'wx', options.mode);
  try {
    const copied = await pump(source, out);
    await out.chmod(options.mode);
    if (options.durable) await out.sync();
    await out.close();
    return copied;
  } catch (error) {
    await out.close().catch(() => undefined);
    await removeQuietly(target);
    throw error;
  }
}

async function pump(source: FileHandle, out: FileHandle): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  const buffer = Buffer.alloc(CHUNK);
  let size = 0;
  for (;;) {
    const { bytesRead } = await source.read(buffer, 0, CHUNK, size);
    if (bytesRead === 0) return { digest: hash.digest('hex'), size };
    const chunk = buffer.subarray(0, bytesRead);
    hash.update(chunk);
    await writeAll(out, chunk, size);
    size += bytesRead;
  }
}
