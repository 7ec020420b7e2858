import { createHash } from 'node:crypto';

import type { ChangeEntry } from '@flowline/ports';

export const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The change entry of a regular file written with `content`. */
export const file = (path: string, content: string, mode = 0o644): ChangeEntry => ({
  kind: 'file',
  path,
  digest: sha(content),
  size: Buffer.byteLength(content),
  mode,
});

/** A workspace with one of each thing a step may change: files, dirs, a symlink, the state dir. */
export const SETUP = `
  printf keep > keep.txt; printf old > modify.txt; printf 'line1\\n' > append.txt; printf bye > gone.txt
  mkdir -p gonedir/b redo sub/deep .flowline; printf a > gonedir/a; printf c > gonedir/b/c
  printf 1 > redo/old1; printf 2 > redo/old2; printf '#!/bin/sh' > chmod.sh; printf same > same.txt
  printf deep > sub/deep/file.txt; ln -s keep.txt link; printf '{}' > .flowline/state.json
`;
