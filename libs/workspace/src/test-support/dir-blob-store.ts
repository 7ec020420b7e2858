import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { type BlobStore } from '@flowline/ports';

import { hashFile } from '../fs-util.js';

/**
 * A real content-addressed store in a directory (`<root>/<ab>/<digest>`),
 * small enough to trust in tests. The real one is @flowline/store-fs;
 * workspace tests do not depend on it.
 */
export class DirBlobStore implements BlobStore {
  /** Digests handed to `getFile`, so tests can see what was read. */
  readonly reads: string[] = [];

  constructor(readonly root: string) {}

  async putFile(path: string): Promise<{ digest: string; size: number }> {
    const digest = await hashFile(path);
    const blob = this.pathOf(digest);
    await mkdir(dirname(blob), { recursive: true });
    await copyFile(path, blob);
    return { digest, size: (await stat(blob)).size };
  }

  async getFile(digest: string, path: string, mode: number): Promise<void> {
    this.reads.push(digest);
    if ((await hashFile(this.pathOf(digest))) !== digest) throw new Error(`blob ${digest} is corrupt`);
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await copyFile(this.pathOf(digest), temporary);
      await chmod(temporary, mode);
      await rename(temporary, path);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async has(digest: string): Promise<boolean> {
    return stat(this.pathOf(digest)).then(
      () => true,
      () => false,
    );
  }

  private pathOf(digest: string): string {
    return join(this.root, digest.slice(0, 2), digest);
  }
}
