import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Temporary directories for one test file, removed by `removeAll` in afterAll. */
export class TempDirs {
  private readonly made: string[] = [];

  /** A fresh directory under `parent` (the real /tmp by default, which the sandbox hides). */
  async make(prefix: string, parent: string = tmpdir()): Promise<string> {
    const dir = await mkdtemp(join(parent, prefix));
    this.made.push(dir);
    return dir;
  }

  async removeAll(): Promise<void> {
    await Promise.all(this.made.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
