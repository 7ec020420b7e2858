import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { applyChangeSet } from './apply-change-set.js';
import { changesFromOverlay } from './overlay-changes.js';
import { changesFromSnapshots } from './snapshot-changes.js';
import { DirBlobStore } from './test-support/dir-blob-store.js';
import { runInOverlay } from './test-support/overlay.js';
import { copyTree, listTree, runIn, tempDir } from './test-support/tree.js';
import { snapshotTree } from './tree-snapshot.js';

/**
 * Random file operations (as a shell script, so the overlay run and the
 * direct run do exactly the same thing) over a random starting tree. Each
 * capture path's change set, applied to a copy of the starting tree, must
 * give the tree the step left. Names come from a tiny alphabet so that
 * operations collide: overwrite, delete then recreate, change a file into a
 * directory, write through a symlink, rename a directory.
 */
const path = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const content = fc.constantFrom('', 'x', 'yy', 'zzz', 'other');
const mode = fc.constantFrom('644', '755', '600', '700', '555');
// Link targets resolve beside the link, so no link ever leads out of the workspace.
const target = fc.constantFrom('a', 'b', 'c', 'a/b', 'nowhere');

const operation = fc.oneof(
  fc.tuple(path, content).map(([p, c]) => `mkdir -p "$(dirname ${p})" && printf '${c}' > ${p}`),
  fc.tuple(path, content).map(([p, c]) => `printf '${c}' >> ${p}`),
  path.map((p) => `rm -rf ${p}`),
  path.map((p) => `mkdir -p ${p}`),
  fc.tuple(path, mode).map(([p, m]) => `chmod ${m} ${p}`),
  fc.tuple(path, target).map(([p, t]) => `ln -sfn ${t} ${p}`),
  fc.tuple(path, path).map(([from, to]) => `mv -T ${from} ${to}`),
  path.map((p) => `touch ${p}`),
);
// Each operation may fail (a parent is a file, a link loops): that is part of the test, not a reason to stop.
const script = fc
  .array(operation, { minLength: 1, maxLength: 12 })
  .map((ops) => ops.map((op) => `{ ${op}; } 2>/dev/null || true`).join('\n'));

/** Dozens of generated cases each, with real mounts and processes: seconds on a quiet machine, more on a busy CI runner. */
const PROPERTY_TIMEOUT_MS = 120_000;

describe('capture then apply reproduces the step’s tree (property)', () => {
  let base: { path: string; cleanup: () => Promise<void> };
  let blobs: DirBlobStore;
  let count = 0;

  beforeAll(async () => {
    base = await tempDir('property');
    blobs = new DirBlobStore(join(base.path, 'blobs'));
  });
  afterAll(() => base.cleanup());

  async function dirs(...names: string[]): Promise<string[]> {
    const dir = join(base.path, `case-${++count}`);
    const made = names.map((name) => join(dir, name));
    for (const path of made) await mkdir(path, { recursive: true });
    return made;
  }

  it(
    'through the overlay (sandbox mode)',
    async () => {
      await fc.assert(
        fc.asyncProperty(script, script, async (setup, step) => {
          const [workspace, applied, direct, layer] = (await dirs('W', 'applied', 'direct', 'layer')) as [
            string,
            string,
            string,
            string,
          ];
          runIn(workspace, setup);
          copyTree(workspace, applied);
          copyTree(workspace, direct);
          const before = await listTree(workspace);
          const upper = await runInOverlay(workspace, layer, step);
          const changes = await changesFromOverlay(upper, workspace, blobs);
          expect(await listTree(workspace)).toEqual(before);
          runIn(direct, step);
          await applyChangeSet(applied, changes, blobs);
          expect(await listTree(applied)).toEqual(await listTree(direct));
        }),
        { numRuns: 60 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'by comparing snapshots (no-sandbox mode)',
    async () => {
      await fc.assert(
        fc.asyncProperty(script, script, async (setup, step) => {
          const [workspace, applied] = (await dirs('W', 'applied')) as [string, string];
          runIn(workspace, setup);
          copyTree(workspace, applied);
          const before = await snapshotTree(workspace);
          runIn(workspace, step);
          const changes = await changesFromSnapshots(workspace, before, await snapshotTree(workspace), blobs);
          await applyChangeSet(applied, changes, blobs);
          expect(await listTree(applied)).toEqual(await listTree(workspace));
        }),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
