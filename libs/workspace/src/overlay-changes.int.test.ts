import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChangeSet } from '@flowline/ports';

import { applyChangeSet } from './apply-change-set.js';
import { changesFromOverlay } from './overlay-changes.js';
import { SETUP, file } from './test-support/change-fixtures.js';
import { DirBlobStore } from './test-support/dir-blob-store.js';
import { runInOverlay } from './test-support/overlay.js';
import { copyTree, listTree, runIn, tempDir } from './test-support/tree.js';

const STEP = `
  printf new > new.txt; mkdir -p newdir/inner; printf n > newdir/inner/n.txt; printf modified > modify.txt
  printf 'line2\\n' >> append.txt; rm gone.txt; rm -rf gonedir; rm -rf redo; mkdir redo; printf fresh > redo/fresh
  chmod 755 chmod.sh; touch same.txt; printf deeper > sub/deep/file.txt; ln -s keep.txt newlink
  ln -sfn modify.txt link; printf '{"x":1}' > .flowline/state.json
`;

describe('changesFromOverlay', () => {
  let base: { path: string; cleanup: () => Promise<void> };
  let blobs: DirBlobStore;
  let count = 0;

  beforeAll(async () => {
    base = await tempDir('overlay');
    blobs = new DirBlobStore(join(base.path, 'blobs'));
  });
  afterAll(() => base.cleanup());

  /** A workspace made by `setup`, a step run over it in an overlay, and what the step changed. */
  async function capture(setup: string, step: string) {
    const dir = join(base.path, `case-${++count}`);
    const workspace = join(dir, 'W');
    await mkdir(workspace, { recursive: true });
    runIn(workspace, setup);
    const before = await listTree(workspace);
    const upper = await runInOverlay(workspace, join(dir, 'layer'), step);
    const changes = await changesFromOverlay(upper, workspace, blobs, { exclude: ['.flowline'] });
    return { dir, workspace, before, changes };
  }

  /** Applies the captured changes to a copy of the workspace; expects what the step saw. */
  async function expectRoundTrip(dir: string, workspace: string, changes: ChangeSet, step: string): Promise<void> {
    const applied = join(dir, 'applied');
    const direct = join(dir, 'direct');
    await mkdir(applied);
    await mkdir(direct);
    copyTree(workspace, applied);
    copyTree(workspace, direct);
    runIn(direct, step);
    await applyChangeSet(applied, changes, blobs);
    expect(await listTree(applied, ['.flowline'])).toEqual(await listTree(direct, ['.flowline']));
  }

  it('replaces a self-looping symlink with a directory (found by the round-trip property)', async () => {
    const setup = 'ln -sfn a a';
    const step = 'rm -rf a; mkdir -p a/a';
    const { dir, workspace, changes } = await capture(setup, step);
    await expectRoundTrip(dir, workspace, changes, step);
  });

  it('captures every kind of change, in an order that applies, leaving the workspace untouched', async () => {
    const { workspace, before, changes } = await capture(SETUP, STEP);
    expect(changes.entries).toEqual([
      { kind: 'delete', path: 'gone.txt' },
      { kind: 'delete', path: 'gonedir' },
      { kind: 'delete', path: 'redo' },
      file('append.txt', 'line1\nline2\n'),
      file('chmod.sh', '#!/bin/sh', 0o755),
      { kind: 'symlink', path: 'link', target: 'modify.txt' },
      file('modify.txt', 'modified'),
      file('new.txt', 'new'),
      { kind: 'dir', path: 'newdir', mode: 0o755 },
      { kind: 'dir', path: 'newdir/inner', mode: 0o755 },
      file('newdir/inner/n.txt', 'n'),
      { kind: 'symlink', path: 'newlink', target: 'keep.txt' },
      { kind: 'dir', path: 'redo', mode: 0o755 },
      file('redo/fresh', 'fresh'),
      file('sub/deep/file.txt', 'deeper'),
    ]);
    expect(await listTree(workspace)).toEqual(before);
  });

  it('round trip: the changes applied to a copy give what the step saw', async () => {
    const { dir, workspace, changes } = await capture(SETUP, STEP);
    await expectRoundTrip(dir, workspace, changes, STEP);
  });

  it('a path whose type changed is deleted first; a replaced directory hides its old contents', async () => {
    const setup = 'mkdir -p d/x; printf 1 > d/x/1; printf f > f; printf l > l; mkdir e; printf e > e/keep';
    const step = 'rm -rf d; printf now-a-file > d; rm f; mkdir f; printf in > f/in; rm l; ln -s f l; chmod 700 e';
    const { dir, workspace, changes } = await capture(setup, step);
    expect(changes.entries).toEqual([
      { kind: 'delete', path: 'd' },
      { kind: 'delete', path: 'f' },
      { kind: 'delete', path: 'l' },
      file('d', 'now-a-file'),
      { kind: 'dir', path: 'e', mode: 0o700 },
      { kind: 'dir', path: 'f', mode: 0o755 },
      file('f/in', 'in'),
      { kind: 'symlink', path: 'l', target: 'f' },
    ]);
    await expectRoundTrip(dir, workspace, changes, step);
  });

  it('an opaque directory brings back even files equal to the ones it replaced', async () => {
    const setup = 'mkdir -p src/lib; printf same > src/lib/a; printf other > src/b';
    const step = 'rm -rf src; mkdir -p src/lib; printf same > src/lib/a';
    const { dir, workspace, changes } = await capture(setup, step);
    expect(changes.entries).toEqual([
      { kind: 'delete', path: 'src' },
      { kind: 'dir', path: 'src', mode: 0o755 },
      { kind: 'dir', path: 'src/lib', mode: 0o755 },
      file('src/lib/a', 'same'),
    ]);
    await expectRoundTrip(dir, workspace, changes, step);
  });

  it('handles names getfattr must escape: spaces, backslashes, newlines, non-ASCII', async () => {
    const setup = `for d in 'we ird' 'back\\slash' $'new\\nline' 'ünï'; do mkdir "$d"; printf old > "$d/f"; printf k > "$d/k"; done`;
    const step = `for d in 'we ird' 'back\\slash' $'new\\nline' 'ünï'; do rm -rf "$d"; mkdir "$d"; printf old > "$d/f"; done`;
    const { dir, workspace, changes } = await capture(setup, step);
    const names = ['back\\slash', 'new\nline', 'we ird', 'ünï'];
    expect(changes.entries.filter((e) => e.kind === 'delete').map((e) => e.path)).toEqual(names);
    await expectRoundTrip(dir, workspace, changes, step);
  });

  it('a step that changes nothing (or only rewrites the same bytes) has an empty change set', async () => {
    const { changes } = await capture('mkdir d; printf x > d/x', 'cat d/x; printf x > d/x; touch d');
    expect(changes.entries).toEqual([]);
  });

  it('never captures excluded paths, however deep', async () => {
    const { changes } = await capture('mkdir -p .flowline/runs', 'printf s > .flowline/runs/r.json; printf k > kept');
    expect(changes.entries).toEqual([file('kept', 'k')]);
  });

  it('stores the bytes of every captured file', async () => {
    const { changes } = await capture('', 'printf abc > a; head -c 100000 /dev/zero > big');
    for (const entry of changes.entries) if (entry.kind === 'file') expect(await blobs.has(entry.digest)).toBe(true);
    expect(changes.entries.map((e) => (e.kind === 'file' ? e.size : -1))).toEqual([3, 100000]);
  });
});
