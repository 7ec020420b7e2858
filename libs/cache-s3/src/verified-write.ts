import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

export interface Hashed {
  readonly digest: string;
  readonly size: number;
}

/** SHA-256 and size of a file, read once as a stream. */
export async function hashFile(path: string): Promise<Hashed> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
  }
  return { digest: hash.digest('hex'), size };
}

/** What to throw when the bytes are not the ones expected, or when the source (not the disk) fails. */
export interface WriteFailures {
  readonly mismatch: (actual: Hashed) => Error;
  readonly source?: (error: unknown) => Error;
}

/**
 * Streams `source` into a new file at `target` (which must not exist),
 * hashing on the way; the file gets exactly `mode` (no umask). On any
 * failure the partial file is removed and the source destroyed.
 */
export async function streamToNewFile(
  source: Readable,
  target: string,
  mode: number,
  onSourceError: (error: unknown) => unknown = (error) => error,
): Promise<Hashed> {
  const file = await open(target, 'wx', mode);
  try {
    const hashed = await copyInto(source, file, onSourceError);
    await file.chmod(mode);
    await file.close();
    return hashed;
  } catch (error) {
    source.destroy();
    await file.close().catch(() => undefined);
    await removeQuietly(target);
    throw error;
  }
}

/** Pulls chunks by hand, so a failing source and a failing disk are told apart. */
async function copyInto(
  source: Readable,
  file: FileHandle,
  onSourceError: (error: unknown) => unknown,
): Promise<Hashed> {
  const hash = createHash('sha256');
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let size = 0;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw onSourceError(error);
    }
    if (next.done === true) return { digest: hash.digest('hex'), size };
    hash.update(next.value);
    await writeAll(file, next.value, size);
    size += next.value.length;
  }
}

async function writeAll(file: FileHandle, data: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < data.length;) {
    done += (await file.write(data, done, data.length - done, position + done)).bytesWritten;
  }
}

/**
 * Writes `source` to `path` only if its bytes hash to `digest`: they go to
 * a temporary file beside `path` (same filesystem, so the rename is atomic)
 * and replace `path` after the check. A mismatch leaves `path` as it was.
 */
export async function writeVerified(
  source: Readable,
  path: string,
  mode: number,
  digest: string,
  failures: WriteFailures,
): Promise<void> {
  const temp = tempPathBeside(path);
  const written = await streamToNewFile(source, temp, mode & 0o7777, failures.source);
  if (written.digest !== digest) {
    await removeQuietly(temp);
    throw failures.mismatch(written);
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
}

/** A fresh hidden name in `path`'s directory; listings skip dot files. */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Removes a file we made and no longer need; a leftover costs disk space, never correctness. */
export async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // Already gone, or not ours to worry about.
  }
}
