import { randomBytes } from 'node:crypto';
import { type FileHandle, link, open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { hasCode, removeQuietly } from './fs-helpers.js';

export interface WriteOptions {
  /** fsync the file before it appears and its directory after, so it survives power loss. */
  readonly durable: boolean;
}

/**
 * A fresh name beside `path`: the same directory is the same filesystem, so
 * the rename that publishes it is atomic. The leading dot keeps listings
 * (`runs/`, cache shards) from mistaking it for real data.
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Replaces `path` with `data` atomically: a reader sees the old file or the new one, never a mix. */
export async function replaceFile(path: string, data: string, options: WriteOptions): Promise<void> {
  const temp = await writeTemp(path, data, options.durable);
  try {
    await rename(temp, path);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
  if (options.durable) await syncDirectory(dirname(path));
}

/**
 * Creates `path` with `data` unless it exists; returns false when it did.
 * link() refuses to replace, unlike rename(), so the file appears whole or
 * not at all, and of two creators exactly one wins.
 */
export async function createFile(path: string, data: string, options: WriteOptions): Promise<boolean> {
  const temp = await writeTemp(path, data, options.durable);
  try {
    await link(temp, path);
  } catch (error) {
    if (hasCode(error, 'EEXIST')) return false;
    throw error;
  } finally {
    await removeQuietly(temp);
  }
  if (options.durable) await syncDirectory(dirname(path));
  return true;
}

/** fsync a directory, which makes the names created or renamed in it durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `data` at `position`; write() may write less than asked, so loop. */
export async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

async function writeTemp(path: string, data: string, durable: boolean): Promise<string> {
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx');
  try {
    await writeAll(handle, Buffer.from(data, 'utf8'), 0);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await removeQuietly(temp);
    throw error;
  }
  await handle.close();
  return temp;
}
