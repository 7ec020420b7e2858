import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ChangeEntry, type ChangeSet } from '@flowline/ports';

import { applyChangeSet } from './apply-change-set.js';
import { DirBlobStore } from './test-support/dir-blob-store.js';
import { listTree, tempDir } from './test-support/tree.js';

describe('applyChangeSet', () => {
  let base: { path: string; cleanup: () => Promise<void> };
  let blobs: DirBlobStore;
  let count = 0;

  beforeAll(async () => {
    base = await tempDir('apply');
    blobs = new DirBlobStore(join(base.path, 'blobs'));
  });
  afterAll(() => base.cleanup());

  /** A workspace and, beside it, a directory standing for the rest of the machine. */
  async function fixture(): Promise<{ workspace: string; outside: string }> {
    const dir = join(base.path, `case-${++count}`);
    const workspace = join(dir, 'W');
    const outside = join(dir, 'outside');
    await mkdir(workspace, { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, 'secret'), 'untouched');
    return { workspace, outside };
  }

  async function fileEntry(path: string, content: string, mode = 0o644): Promise<ChangeEntry> {
    const source = join(base.path, `blob-source-${++count}`);
    await writeFile(source, content);
    const { digest, size } = await blobs.putFile(source);
    return { kind: 'file', path, digest, size, mode };
  }

  async function expectRefused(workspace: string, changes: ChangeSet, path: string): Promise<void> {
    await expect(applyChangeSet(workspace, changes, blobs)).rejects.toMatchObject({
      code: 'path_escapes_workspace',
      details: { path },
      message: expect.stringContaining(path) as unknown,
    });
  }

  it('writes files, symlinks and directories, replacing what was there, and deletes recursively', async () => {
    const { workspace } = await fixture();
    await mkdir(join(workspace, 'was-dir/inner'), { recursive: true });
    await mkdir(join(workspace, 'old/deep'), { recursive: true });
    await writeFile(join(workspace, 'old/deep/f'), 'x');
    await writeFile(join(workspace, 'was-file'), 'x');
    const changes: ChangeSet = {
      entries: [
        { kind: 'delete', path: 'old' },
        { kind: 'delete', path: 'not-there/at-all' },
        await fileEntry('was-dir', 'now a file', 0o600),
        { kind: 'symlink', path: 'was-file', target: 'was-dir' },
        { kind: 'dir', path: 'ro', mode: 0o555 },
        await fileEntry('ro/inside', 'written before the directory turned read-only', 0o755),
        await fileEntry('made/missing/parents', 'p'),
      ],
    };
    await applyChangeSet(workspace, changes, blobs);
    expect(await listTree(workspace)).toEqual({
      made: 'dir 755',
      'made/missing': 'dir 755',
      'made/missing/parents': `file 644 ${Buffer.from('p').toString('base64')}`,
      ro: 'dir 555',
      'ro/inside': `file 755 ${Buffer.from('written before the directory turned read-only').toString('base64')}`,
      'was-dir': `file 600 ${Buffer.from('now a file').toString('base64')}`,
      'was-file': 'symlink -> was-dir',
    });
  });

  it('refuses absolute paths and paths that climb, before writing anything', async () => {
    const { workspace } = await fixture();
    for (const path of ['/etc/passwd', '../outside/secret', 'a/../../outside/secret', 'a//b', './a', '', 'a/.']) {
      await expectRefused(workspace, { entries: [await fileEntry('first', 'x'), await fileEntry(path, 'y')] }, path);
    }
    expect(await listTree(workspace)).toEqual({});
  });

  it('refuses to write through a symlink in the workspace that leads outside', async () => {
    const { workspace, outside } = await fixture();
    await symlink(outside, join(workspace, 'out'));
    await expectRefused(workspace, { entries: [await fileEntry('out/secret', 'stolen')] }, 'out/secret');
    await expectRefused(workspace, { entries: [{ kind: 'delete', path: 'out/secret' }] }, 'out/secret');
    await expectRefused(
      workspace,
      { entries: [{ kind: 'dir', path: 'out/sub/deeper', mode: 0o755 }] },
      'out/sub/deeper',
    );
    expect(await readFile(join(outside, 'secret'), 'utf8')).toBe('untouched');
    expect(await listTree(outside)).toEqual({ secret: `file 644 ${Buffer.from('untouched').toString('base64')}` });
  });

  it('refuses entries beneath a symlink the same change set makes, before writing anything', async () => {
    const { workspace, outside } = await fixture();
    const changes: ChangeSet = {
      entries: [{ kind: 'symlink', path: 'link', target: outside }, await fileEntry('link/secret', 'stolen')],
    };
    await expectRefused(workspace, changes, 'link/secret');
    expect(await listTree(workspace)).toEqual({});
  });

  it('writes through a symlink that stays inside, and replaces or deletes links without following them', async () => {
    const { workspace, outside } = await fixture();
    await mkdir(join(workspace, 'real'));
    await symlink('real', join(workspace, 'alias'));
    await symlink(outside, join(workspace, 'out'));
    await symlink(outside, join(workspace, 'out2'));
    const changes: ChangeSet = {
      entries: [
        { kind: 'delete', path: 'out' },
        await fileEntry('alias/f', 'via the alias'),
        { kind: 'dir', path: 'out2', mode: 0o700 },
      ],
    };
    await applyChangeSet(workspace, changes, blobs);
    expect(await listTree(workspace)).toEqual({
      alias: 'symlink -> real',
      out2: 'dir 700',
      real: 'dir 755',
      'real/f': `file 644 ${Buffer.from('via the alias').toString('base64')}`,
    });
    expect(await listTree(outside)).toEqual({ secret: `file 644 ${Buffer.from('untouched').toString('base64')}` });
  });
});
