import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { DEFAULT_LINT_CONFIG } from '../lint-config.js';
import { LintConfigResolver } from './lint-config-resolver.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'flowline-lint-config-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(path: string, text: string): Promise<string> {
  const file = join(root, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  return file;
}

describe('LintConfigResolver', () => {
  it('uses the nearest .flowline-lint.yaml above the workflow, named relative to cwd', async () => {
    await write('repo/.flowline-lint.yaml', 'rules: { missing-version: off }\n');
    await write('repo/flows/team/.flowline-lint.yaml', 'rules: { missing-version: error }\n');
    const resolver = new LintConfigResolver({ cwd: join(root, 'repo') });
    const near = await resolver.forWorkflow('flows/team/deep/w.yaml');
    expect(near).toEqual({
      ok: true,
      config: { file: 'flows/team/.flowline-lint.yaml', rules: new Map([['missing-version', 'error']]) },
    });
    const far = await resolver.forWorkflow(join(root, 'repo/flows/w.yaml'));
    expect(far.ok && far.config.file).toBe('.flowline-lint.yaml');
  });

  it('stops at the directory holding .git: a config above the repository does not apply', async () => {
    await write('.flowline-lint.yaml', 'rules: { missing-version: off }\n');
    await mkdir(join(root, 'repo/.git'), { recursive: true });
    const resolver = new LintConfigResolver({ cwd: root });
    expect(await resolver.forWorkflow('repo/flows/w.yaml')).toEqual({ ok: true, config: DEFAULT_LINT_CONFIG });
  });

  it('uses --config for every workflow, without looking around', async () => {
    await write('repo/.flowline-lint.yaml', 'rules: { missing-version: off }\n');
    const explicit = await write('strict.yaml', 'rules: { missing-version: error }\n');
    const resolver = new LintConfigResolver({ explicit, cwd: root });
    const resolved = await resolver.forWorkflow('repo/w.yaml');
    expect(resolved.ok && resolved.config.rules.get('missing-version')).toBe('error');
  });

  it('says why a config cannot be used: unreadable, or invalid with its places', async () => {
    const missing = new LintConfigResolver({ explicit: join(root, 'nope.yaml'), cwd: root });
    expect(await missing.forWorkflow('w.yaml')).toEqual({
      ok: false,
      file: join(root, 'nope.yaml'),
      diagnostics: [],
      error: `cannot read lint config ${join(root, 'nope.yaml')}: no such file`,
    });
    await write('.flowline-lint.yaml', 'rules:\n  missing-versoin: off\n');
    const invalid = await new LintConfigResolver({ cwd: root }).forWorkflow('w.yaml');
    expect(invalid.ok ? [] : invalid.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code}`)).toEqual([
      '.flowline-lint.yaml:2:3 unknown-lint-rule',
    ]);
  });
});
