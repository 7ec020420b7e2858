import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { applyChangeSet } from './apply-change-set.js';
import { changesFromSnapshots } from './snapshot-changes.js';
import { SETUP, file, sha } from './test-support/change-fixtures.js';
import { DirBlobStore } from './test-support/dir-blob-store.js';
import { copyTree, listTree, runIn, tempDir } from './test-support/tree.js';
import { snapshotTree } from './tree-snapshot.js';

const STEP = `
  printf new > new.txt; mkdir -p newdir/inner; printf n > newdir/inner/n.txt; printf modified > modify.txt
  printf 'line2\\n' >> append.txt; rm gone.txt; rm -rf gonedir; rm -rf redo; mkdir redo; printf fresh > redo/fresh
  chmod 755 chmod.sh; printf same > same.txt; printf deeper > sub/deep/file.txt; ln -s keep.txt newlink
  ln -sfn modify.txt link; printf '{"x":1}' > .flowline/state.json; rm -rf sub/deep; printf now-a-file > sub/deep
`;

describe('changesFromSnapshots (no sandbox)', () => {
  let base: { path: string; cleanup: () => Promise<void> };
  let blobs: DirBlobStore;
  let count = 0;

  beforeAll(async () => {
    base = await tempDir('snapshot');
    blobs = new DirBlobStore(join(base.path, 'blobs'));
  });
  afterAll(() => base.cleanup());

  async function workspaceWith(setup: string): Promise<{ dir: string; workspace: string }> {
    const dir = join(base.path, `case-${++count}`);
    const workspace = join(dir, 'W');
    await mkdir(workspace, { recursive: true });
    runIn(workspace, setup);
    return { dir, workspace };
  }

  it('finds new, changed, deleted and retyped paths; applied to a copy they give the same tree', async () => {
    const { dir, workspace } = await workspaceWith(SETUP);
    const copy = join(dir, 'copy');
    await mkdir(copy);
    copyTree(workspace, copy);
    const before = await snapshotTree(workspace, { exclude: ['.flowline'] });
    runIn(workspace, STEP);
    const after = await snapshotTree(workspace, { exclude: ['.flowline'] });
    const changes = await changesFromSnapshots(workspace, before, after, blobs);
    expect(changes.entries).toEqual([
      { kind: 'delete', path: 'gone.txt' },
      { kind: 'delete', path: 'gonedir' },
      { kind: 'delete', path: 'redo/old1' },
      { kind: 'delete', path: 'redo/old2' },
      { kind: 'delete', path: 'sub/deep' },
      file('append.txt', 'line1\nline2\n'),
      file('chmod.sh', '#!/bin/sh', 0o755),
      { kind: 'symlink', path: 'link', target: 'modify.txt' },
      file('modify.txt', 'modified'),
      file('new.txt', 'new'),
      { kind: 'dir', path: 'newdir', mode: 0o755 },
      { kind: 'dir', path: 'newdir/inner', mode: 0o755 },
      file('newdir/inner/n.txt', 'n'),
      { kind: 'symlink', path: 'newlink', target: 'keep.txt' },
      file('redo/fresh', 'fresh'),
      // Rewritten in place with the same bytes: a scan sees the write, not that nothing changed.
      file('same.txt', 'same'),
      file('sub/deep', 'now-a-file'),
    ]);
    await applyChangeSet(copy, changes, blobs);
    expect(await listTree(copy, ['.flowline'])).toEqual(await listTree(workspace, ['.flowline']));
  });

  it('records lstat facts, not following symlinks, and leaves excluded paths out', async () => {
    const { workspace } = await workspaceWith(
      'mkdir -p .flowline/x d; printf abc > d/f; ln -s /etc out; chmod 600 d/f',
    );
    const snapshot = await snapshotTree(workspace, { exclude: ['./.flowline/'] });
    expect([...snapshot.entries.keys()].sort()).toEqual(['d', 'd/f', 'out']);
    expect(snapshot.entries.get('d/f')).toMatchObject({ type: 'file', size: 3n, mode: 0o600 });
    expect(snapshot.entries.get('out')).toMatchObject({ type: 'symlink', target: '/etc' });
  });

  it('a file changed within the same clock tick, stats unmoved, is found by its content digest', async () => {
    const { workspace } = await workspaceWith('printf one > fresh.txt');
    const before = await snapshotTree(workspace);
    expect(before.entries.get('fresh.txt')?.digest).toBe(sha('one'));
    await writeFile(join(workspace, 'fresh.txt'), 'two');
    // As if size, times and inode had not moved: only the recorded digest can tell.
    const changes = await changesFromSnapshots(workspace, before, before, blobs);
    expect(changes.entries).toEqual([file('fresh.txt', 'two')]);
  });

  it('hashes only files modified moments ago; older ones are judged by their stats alone', async () => {
    const installed = join(process.cwd(), 'node_modules', 'tinyglobby');
    const snapshot = await snapshotTree(installed);
    const files = [...snapshot.entries.values()].filter((e) => e.type === 'file');
    expect(files.length).toBeGreaterThan(2);
    expect(files.filter((e) => e.digest !== undefined)).toEqual([]);
  });
});
