import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

import type { AgentEdit } from '../support/file-editing-agent.js';
import { REPO, REPO_NODE_MODULES } from '../support/repository.js';

const run = promisify(execFile);

export const WORKFLOW = join(REPO, 'templates/increase-test-coverage.yaml');
const FIXTURE = join(REPO, 'templates/fixtures/js-low-coverage');
/** The tests a competent agent writes for each module, as `<module>.coverage.test.js`. */
const AGENT_TESTS = join(REPO, 'templates/fixtures/js-low-coverage-agent-tests');

/**
 * A fresh copy of the fixture library in a temp directory, as a user's
 * checkout looks: the repository's node_modules linked in (the fixture has
 * none of its own), and one git commit, so the workflow can branch from it.
 */
export async function fixtureCopy(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'flowline-coverage-')), 'tidy-utils');
  await cp(FIXTURE, dir, { recursive: true });
  await symlink(REPO_NODE_MODULES, join(dir, 'node_modules'));
  await git(dir, 'init', '-q');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'tidy-utils as the fixture has it');
  return dir;
}

/** git as a fixed identity, so the test does not depend on the machine's git config. */
export async function git(dir: string, ...args: string[]): Promise<string> {
  const identity = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@localhost' };
  const env = { ...process.env, ...identity, GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@localhost' };
  const { stdout } = await run('git', args, { cwd: dir, env });
  return stdout;
}

/**
 * Total line coverage of the project in `dir`, measured independently of the
 * workflow: jest run directly, its json-summary written outside the project.
 */
export async function lineCoverage(dir: string): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), 'flowline-coverage-summary-'));
  const jest = join(dir, 'node_modules/.bin/jest');
  await run(jest, ['--coverage', '--coverageReporters=json-summary', `--coverageDirectory=${out}`], { cwd: dir });
  const summary = JSON.parse(await readFile(join(out, 'coverage-summary.json'), 'utf8')) as {
    total: { lines: { pct: number } };
  };
  return summary.total.lines.pct;
}

/** The test file the workflow's prompt tells the agent to write, e.g. `test/csv.coverage.test.js`. */
export function testFileNamedIn(prompt: string): string | undefined {
  return /Write the new tests in (\S+): create it/.exec(prompt)?.[1];
}

/**
 * What a competent agent writes for the prompt: the stored, correct tests for
 * the module it names (synchronous, as the scripted agent's planner is).
 */
export function goodTestsFor(prompt: string): AgentEdit[] {
  const file = testFileNamedIn(prompt);
  if (file === undefined) throw new Error(`the prompt names no test file:\n${prompt}`);
  return [{ path: file, content: readFileSync(join(AGENT_TESTS, basename(file)), 'utf8') }];
}
