import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { lintFile } from './lint-file.js';
import { lintTargets } from './lint-targets.js';
import { stepMissingDescription } from './rules/best-practice/description-rules.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowline-lint-file-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lintFile', () => {
  it('reads template files relative to the workflow and applies its suppression comments', async () => {
    await writeFile(join(dir, 'report.md.hbs'), 'Report for {{workflow.name}}\n');
    const file = join(dir, 'w.yaml');
    await writeFile(
      file,
      'name: w\nsteps:\n  - { id: a, type: template, template_file: report.md.hbs, output: r.md }\n' +
        '  # flowline-lint-disable-next-line step-missing-description\n  - { id: b, type: shell, run: make }\n',
    );
    const found = await lintFile(file, { rules: [stepMissingDescription] });
    expect(found.map((d) => `${d.file}:${d.line} ${d.code}`)).toEqual([`${file}:3 step-missing-description`]);
  });

  it('reports a missing template file as validation does, and runs no rule', async () => {
    const file = join(dir, 'w.yaml');
    await writeFile(file, 'name: w\nsteps:\n  - { id: a, type: template, template_file: gone.hbs, output: r.md }\n');
    expect((await lintFile(file)).map((d) => d.code)).toEqual(['template-file-unreadable']);
  });

  it('throws file_unreadable for a file that cannot be read', async () => {
    await expect(lintFile(join(dir, 'nope.yaml'))).rejects.toMatchObject({
      code: 'file_unreadable',
      message: `cannot read ${join(dir, 'nope.yaml')}: no such file`,
    });
  });
});

describe('lintTargets', () => {
  it('expands a directory to its workflow files, in name order, without test suites, dotfiles or subdirectories', async () => {
    for (const name of ['b.yml', 'a.yaml', 'a.test.yaml', '.flowline-lint.yaml', 'notes.md', 'sub/c.yaml']) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), 'x: 1\n');
    }
    expect(await lintTargets([dir, 'given.test.yaml'])).toEqual({
      files: [join(dir, 'a.yaml'), join(dir, 'b.yml'), 'given.test.yaml'],
      problems: [],
    });
  });

  it('calls a directory without workflow files a problem', async () => {
    expect(await lintTargets([dir])).toEqual({
      files: [],
      problems: [`no workflow files (*.yaml, *.yml) in directory ${dir}`],
    });
  });
});
