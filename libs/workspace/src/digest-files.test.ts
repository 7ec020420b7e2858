import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { NO_FILES_DIGEST, digestFiles } from './digest-files.js';
import { tempDir } from './test-support/tree.js';

describe('digestFiles', () => {
  let base: { path: string; cleanup: () => Promise<void> };
  let count = 0;

  beforeAll(async () => {
    base = await tempDir('digest');
  });
  afterAll(() => base.cleanup());

  async function workspace(files: Record<string, string>): Promise<string> {
    const root = join(base.path, `case-${++count}`);
    for (const [path, content] of Object.entries(files)) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), content);
    }
    return root;
  }

  const GLOBS = ['src/**/*.ts', 'package-lock.json', 'nothing/**', '.config/**'];

  it('changes a glob’s digest when a matched file changes, and no other', async () => {
    const root = await workspace({
      'src/a.ts': 'a',
      'src/deep/b.ts': 'b',
      'src/c.js': 'c',
      'package-lock.json': '{}',
      'README.md': 'r',
      '.config/x': 'x',
    });
    const first = await digestFiles(root, GLOBS);
    expect(Object.keys(first)).toEqual(GLOBS);
    expect(first['nothing/**']).toBe(NO_FILES_DIGEST);
    expect(new Set(Object.values(first)).size).toBe(4);

    await writeFile(join(root, 'README.md'), 'changed');
    await writeFile(join(root, 'src/c.js'), 'changed');
    expect(await digestFiles(root, GLOBS)).toEqual(first);

    await writeFile(join(root, 'src/deep/b.ts'), 'changed');
    const second = await digestFiles(root, GLOBS);
    expect(second['src/**/*.ts']).not.toBe(first['src/**/*.ts']);
    expect({ ...second, 'src/**/*.ts': first['src/**/*.ts'] }).toEqual(first);

    await writeFile(join(root, '.config/x'), 'changed');
    const third = await digestFiles(root, GLOBS);
    expect(third['.config/**']).not.toBe(first['.config/**']);
    expect({ ...third, '.config/**': first['.config/**'] }).toEqual(second);
  });

  it('depends on file names as well as contents, and not on where the workspace is', async () => {
    const one = await workspace({ 'src/a.ts': 'same' });
    const two = await workspace({ 'src/a.ts': 'same' });
    const [d1, d2] = [await digestFiles(one, ['src/**']), await digestFiles(two, ['src/**'])];
    expect(d1).toEqual(d2);
    await rename(join(two, 'src/a.ts'), join(two, 'src/b.ts'));
    expect(await digestFiles(two, ['src/**'])).not.toEqual(d1);
  });

  it('a glob naming a directory matches what is beneath it; excluded prefixes never match', async () => {
    const root = await workspace({ 'src/a.ts': 'a', '.flowline/state.json': '{}' });
    const [byDir, byGlob] = [await digestFiles(root, ['src']), await digestFiles(root, ['src/**'])];
    expect(byDir['src']).toBe(byGlob['src/**']);
    const all = await digestFiles(root, ['**'], { exclude: ['.flowline'] });
    await writeFile(join(root, '.flowline/state.json'), '{"changed":true}');
    expect(await digestFiles(root, ['**'], { exclude: ['.flowline'] })).toEqual(all);
  });

  it('skips symlinks: never follows one out of the workspace, nor counts it', async () => {
    const outside = await workspace({ 'secret.ts': 'outside' });
    const root = await workspace({ 'src/a.ts': 'a' });
    const before = await digestFiles(root, ['src/**']);
    await symlink(outside, join(root, 'src/ext'));
    await symlink(join(outside, 'secret.ts'), join(root, 'src/secret.ts'));
    expect(await digestFiles(root, ['src/**'])).toEqual(before);
    await writeFile(join(outside, 'secret.ts'), 'changed outside');
    expect(await digestFiles(root, ['src/**'])).toEqual(before);
  });

  it('refuses patterns that are absolute or climb out', async () => {
    const root = await workspace({ a: 'a' });
    for (const pattern of ['/etc/**', '../**', 'src/../../x']) {
      await expect(digestFiles(root, [pattern])).rejects.toMatchObject({ code: 'path_escapes_workspace' });
    }
  });
});
