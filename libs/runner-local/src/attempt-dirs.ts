import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { ChangeCapture } from '@flowline/sandbox';

/** An attempt's private directories: scratch (HOME, $FLOWLINE_OUTPUT) and, when captured, the overlay's layers. */
export interface AttemptDirs {
  readonly scratchDir: string;
  readonly capture: ChangeCapture | undefined;
  /** Removes the overlay layers at once (they may hold large files); scratch goes with the run's directory. */
  release(): Promise<void>;
}

/**
 * One temporary directory per run, holding a numbered directory per
 * attempt: a single mkdir per attempt instead of mkdtemp, and one recursive
 * removal when the run ends instead of one per attempt. It lives outside the
 * workspace, since overlay layers may not nest inside the lower directory.
 */
export class AttemptDirectories {
  private next = 0;

  private constructor(private readonly root: string) {}

  static async create(tempDir: string): Promise<AttemptDirectories> {
    return new AttemptDirectories(await mkdtemp(join(tempDir, 'flowline-run-')));
  }

  async make(capture: boolean): Promise<AttemptDirs> {
    const dir = join(this.root, String(++this.next));
    const scratchDir = join(dir, 'scratch');
    await mkdir(scratchDir, { recursive: true });
    if (!capture) return { scratchDir, capture: undefined, release: () => Promise.resolve() };
    const layers = { upperDir: join(dir, 'upper'), workDir: join(dir, 'work') };
    await Promise.all([mkdir(layers.upperDir), mkdir(layers.workDir)]);
    const release = () =>
      Promise.all([layers.upperDir, layers.workDir].map((d) => rm(d, { recursive: true, force: true }))).then(() => {});
    return { scratchDir, capture: layers, release };
  }

  remove(): Promise<void> {
    return rm(this.root, { recursive: true, force: true });
  }
}
