import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { ChangeCapture } from '@flowline/sandbox';

/** An attempt's private directories: scratch (HOME, $FLOWLINE_OUTPUT) and, when captured, the overlay's layers. */
export interface AttemptDirs {
  readonly scratchDir: string;
  readonly capture: ChangeCapture | undefined;
  remove(): Promise<void>;
}

export async function makeAttemptDirs(tempDir: string, capture: boolean): Promise<AttemptDirs> {
  const root = await mkdtemp(join(tempDir, 'flowline-attempt-'));
  const scratchDir = join(root, 'scratch');
  await mkdir(scratchDir);
  let layers: ChangeCapture | undefined;
  if (capture) {
    layers = { upperDir: join(root, 'upper'), workDir: join(root, 'work') };
    await Promise.all([mkdir(layers.upperDir), mkdir(layers.workDir)]);
  }
  return { scratchDir, capture: layers, remove: () => rm(root, { recursive: true, force: true }) };
}
