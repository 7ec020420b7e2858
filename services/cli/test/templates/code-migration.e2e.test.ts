import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import type { ScriptedModelServer } from '@flowline/executors';

import { type EditPlanner, startFileEditingAgent } from '../support/file-editing-agent.js';
import { runFlowline } from '../support/flowline-process.js';
import { esmVersions, migrationPlanner } from './migration-esm-versions.js';

const TEMPLATES = fileURLToPath(new URL('../../../../templates/', import.meta.url));
const WORKFLOW = join(TEMPLATES, 'code-migration.yaml');
const FIXTURE = join(TEMPLATES, 'fixtures/cjs-project');
const VERSIONS = esmVersions();
const COMMONJS = /\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w+\s*=|\b__dirname\b|\b__filename\b/;

interface RunJson {
  readonly run_id: string;
  readonly status: string;
  readonly outputs: Record<string, unknown>;
  readonly steps: Record<string, { readonly status: string; readonly outputs: Record<string, unknown> }>;
}

let root: string;
let project: string;
let original: string;
let server: ScriptedModelServer | undefined;

/** A fresh copy of the fixture, committed as the one commit of a new repository. */
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'flowline-code-migration-'));
  project = join(root, 'project');
  await cp(FIXTURE, project, { recursive: true });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '--all');
  git(
    '-c',
    'user.name=Fixture',
    '-c',
    'user.email=fixture@example.com',
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-qm',
    'fixture',
  );
  original = git('rev-parse', 'HEAD').trim();
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: project, encoding: 'utf8' });
}

/** `flowline run templates/code-migration.yaml` on the copy, the agents answered by `plan`. */
async function migrate(plan: EditPlanner): Promise<{ code: number | null; run: RunJson; report: string }> {
  server = await startFileEditingAgent(() => project, plan);
  const result = await runFlowline(['run', WORKFLOW, '--workspace', project, '--json'], {
    env: {
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: 'test-key',
      FLOWLINE_CLAUDE_MAX_RETRIES: '0',
      FLOWLINE_STATE_DIR: join(root, 'state'),
    },
  });
  if (result.stdout === '') throw new Error(`flowline run printed no result (exit ${result.code}):\n${result.stderr}`);
  const report = await readFile(join(project, 'MIGRATION-REPORT.md'), 'utf8');
  return { code: result.code, run: JSON.parse(result.stdout) as RunJson, report };
}

function statusOf(run: RunJson, ...steps: string[]): Record<string, string | undefined> {
  return Object.fromEntries(steps.map((step) => [step, run.steps[step]?.status]));
}

/** Every file of the fixture, relative to it. */
async function fixtureFiles(dir = FIXTURE): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(FIXTURE, join(e.parentPath, e.name)));
}

/** Parses as a CommonJS script? ES module syntax (import/export) does not. */
function parsesAsCommonJs(source: string): boolean {
  try {
    new Script(source);
    return true;
  } catch {
    return false;
  }
}

describe('templates/code-migration.yaml on a copy of fixtures/cjs-project (real CLI, scripted model, bubblewrap)', () => {
  it('migrates every file to ES modules, and the project’s own tests pass', async () => {
    const { code, run, report } = await migrate(migrationPlanner(VERSIONS));

    expect({ code, status: run.status, outputs: run.outputs }).toEqual({
      code: 0,
      status: 'succeeded',
      outputs: {
        outcome: 'migrated',
        failed_step: 'none',
        backup_branch: `flowline-backup/${run.run_id}`,
        report: 'MIGRATION-REPORT.md',
      },
    });
    expect(statusOf(run, 'backup', 'verify', 'rollback')).toEqual({
      backup: 'succeeded',
      verify: 'succeeded',
      rollback: 'skipped',
    });
    // One agent per CommonJS file (the inventory lists them sorted), each changing its own file only.
    const files = [...VERSIONS.keys()].sort();
    const items = files.map((_, i) => run.steps[`migrate[${i}]`]);
    expect(items.map((item) => [item?.status, item?.outputs['files_changed']])).toEqual(
      files.map((file) => ['succeeded', [file]]),
    );

    for (const [file, esm] of VERSIONS) {
      const migrated = await readFile(join(project, file), 'utf8');
      expect({ file, migrated }).toEqual({ file, migrated: esm });
      expect({ file, commonJs: COMMONJS.test(migrated), script: parsesAsCommonJs(migrated) }).toEqual({
        file,
        commonJs: false,
        script: false,
      });
    }
    const before = JSON.parse(await readFile(join(FIXTURE, 'package.json'), 'utf8')) as object;
    const after = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as object;
    expect(after).toEqual({ ...before, type: 'module' });

    // The project's tests, run here rather than trusted from the workflow: they load as ES modules and pass.
    const tests = execFileSync(process.execPath, ['--test'], { cwd: project, encoding: 'utf8' });
    expect(tests).toMatch(/^# pass 10$/m);
    expect(tests).toMatch(/^# fail 0$/m);

    // Nothing was committed: HEAD is the original commit, which the backup branch marks too.
    expect(git('rev-parse', 'HEAD', `flowline-backup/${run.run_id}`).trim().split('\n')).toEqual([original, original]);
    const changed = git('status', '--porcelain').trimEnd().split('\n');
    expect(changed).toEqual([
      ...[...files, 'package.json'].sort().map((file) => ` M ${file}`),
      '?? MIGRATION-REPORT.md',
    ]);
    expect(report).toMatch(/^# CommonJS → ES modules: migrated$/m);
    expect(report).toContain('- `lib/titles.js`: succeeded. Done: the files are written.');
  }, 240_000);

  it('rolls everything back when the tests fail after the migration, and the run fails', async () => {
    // The agent for lib/strings.js drops truncate(), which titles.js imports.
    const broken = new Map(VERSIONS).set(
      'lib/strings.js',
      'export function capitalize(word) {\n  return word.charAt(0).toUpperCase() + word.slice(1);\n}\n',
    );
    const { code, run, report } = await migrate(migrationPlanner(broken));

    expect({ code, status: run.status, outcome: run.outputs['outcome'], failed: run.outputs['failed_step'] }).toEqual({
      code: 1,
      status: 'failed',
      outcome: 'rolled_back',
      failed: 'verify',
    });
    expect(statusOf(run, 'migrate', 'package-type', 'verify', 'rollback', 'report')).toEqual({
      migrate: 'succeeded',
      'package-type': 'succeeded',
      verify: 'failed',
      rollback: 'succeeded',
      report: 'succeeded',
    });
    // The migration did happen (the tests ran on ES modules) before it was undone.
    expect(run.steps['verify']?.outputs['stdout']).toContain("does not provide an export named 'truncate'");

    // Restored: the original commit, no change to any tracked file, nothing left but the report.
    expect(git('rev-parse', 'HEAD').trim()).toBe(original);
    expect(git('status', '--porcelain')).toBe('?? MIGRATION-REPORT.md\n');
    for (const file of await fixtureFiles()) {
      const restored = await readFile(join(project, file), 'utf8');
      expect({ file, restored }).toEqual({ file, restored: await readFile(join(FIXTURE, file), 'utf8') });
    }
    expect(report).toMatch(/^# CommonJS → ES modules: rolled_back$/m);
    expect(report).toContain(
      `step \`verify\` failed, so the work tree\nwas reset to the backup branch \`flowline-backup/${run.run_id}\``,
    );
  }, 240_000);

  it('refuses a work tree with uncommitted changes before changing anything', async () => {
    const strings = join(project, 'lib/strings.js');
    execFileSync('sh', ['-c', `echo '// work in progress' >> "$0"`, strings]);
    const edited = await readFile(strings, 'utf8');
    const { code, run, report } = await migrate(migrationPlanner(VERSIONS));

    expect({ code, outcome: run.outputs['outcome'] }).toEqual({ code: 1, outcome: 'refused' });
    expect(statusOf(run, 'backup', 'migrate', 'rollback')).toEqual({
      backup: 'failed',
      migrate: 'upstream_failed',
      rollback: 'skipped',
    });
    expect(server?.modelRequests).toEqual([]);
    expect(await readFile(strings, 'utf8')).toBe(edited);
    expect(git('branch', '--list', 'flowline-backup/*')).toBe('');
    expect(git('status', '--porcelain')).toBe(' M lib/strings.js\n?? MIGRATION-REPORT.md\n');
    expect(report).toContain('the work tree has uncommitted changes');
  }, 240_000);
});
