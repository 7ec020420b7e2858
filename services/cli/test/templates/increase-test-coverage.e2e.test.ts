import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';

import { type ScriptedModelServer, startScriptedModelServer } from '@flowline/executors';

import { type EditPlanner, startFileEditingAgent } from '../support/file-editing-agent.js';
import { type FlowlineResult, runFlowline } from '../support/flowline-process.js';
import { READ_REPO_NODE_MODULES } from '../support/repository.js';
import { WORKFLOW, fixtureCopy, git, goodTestsFor, lineCoverage } from './coverage-fixture.js';

/**
 * The reference workflow end to end, everything real: `flowline run` as a
 * process, bubblewrap, jest from the repository's node_modules, the real
 * Claude Code CLI against a scripted model whose replies write real tests.
 * The outcome is checked by measuring coverage again, outside the workflow.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Line coverage of the untouched fixture, measured as the checks below measure a workspace. */
let before: number;
beforeAll(async () => {
  before = await lineCoverage(await workspace());
}, 60_000);

async function workspace(): Promise<string> {
  const dir = await fixtureCopy();
  cleanups.push(() => rm(dirname(dir), { recursive: true, force: true }));
  return dir;
}

async function agent(dir: string, plan: EditPlanner): Promise<ScriptedModelServer> {
  const server = await startFileEditingAgent(() => dir, plan);
  cleanups.push(() => server.close());
  return server;
}

interface RunSummary {
  readonly status: string;
  readonly outputs: Record<string, string>;
  readonly steps: Record<string, { status: string }>;
}

/** `flowline run --json` of the workflow on `dir`; the summary it prints, and its progress lines (stderr). */
async function runWorkflow(
  dir: string,
  server: ScriptedModelServer,
  inputs: string[],
): Promise<RunSummary & { progress: string }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'flowline-coverage-state-'));
  cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
  const args = ['run', WORKFLOW, '--workspace', dir, '--json', ...inputs.flatMap((pair) => ['--input', pair])];
  const result: FlowlineResult = await runFlowline(args, {
    env: {
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: 'test-key',
      FLOWLINE_CLAUDE_MAX_RETRIES: '0',
      FLOWLINE_STATE_DIR: stateDir,
      // The notification goes to a receiver on this machine, which the SSRF guard refuses unless told.
      FLOWLINE_EGRESS_ALLOW: '127.0.0.1',
      ...READ_REPO_NODE_MODULES,
    },
  });
  if (result.stdout === '') throw new Error(`flowline printed no summary (exit ${result.code}):\n${result.stderr}`);
  const summary = JSON.parse(result.stdout) as RunSummary;
  expect(result.code).toBe(summary.status === 'succeeded' ? 0 : 1);
  return { ...summary, progress: result.stderr };
}

/** A webhook receiver on 127.0.0.1 that records each request's JSON body. */
async function hookReceiver(): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(body));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/coverage`, bodies };
}

const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');

describe('templates/increase-test-coverage.yaml on a copy of templates/fixtures/js-low-coverage', () => {
  it('raises line coverage past the target, commits the new tests on a branch and posts the outcome', async () => {
    const dir = await workspace();
    const server = await agent(dir, goodTestsFor);
    const hook = await hookReceiver();
    const inputs = ['target=80', 'max_files=3', 'create_branch=true', 'branch=more-tests', `notify_url=${hook.url}`];

    const summary = await runWorkflow(dir, server, inputs);

    expect(summary.status).toBe('succeeded');
    const after = await lineCoverage(dir);
    expect(before).toBeLessThan(40);
    expect(after).toBeGreaterThanOrEqual(80);
    expect(after).toBeGreaterThan(before);
    expect(summary.outputs).toMatchObject({ before: String(before), after: String(after), reached: 'true' });
    // The three least-covered files got an agent; duration.js (the fourth below 80%) did not.
    const written = ['test/csv.coverage.test.js', 'test/money.coverage.test.js', 'test/strings.coverage.test.js'];
    for (const file of written) expect(await read(dir, file)).toContain("require('../src/");
    expect(existsSync(join(dir, 'test/duration.coverage.test.js'))).toBe(false);
    const report = await read(dir, summary.outputs['report']!);
    expect(report).toContain(`| before | ${before}% `);
    expect(report).toContain(`| after | ${after}% `);
    expect(report).toContain('**Target reached.**');
    expect(report).toContain('| `src/csv.js` | 2.77% | 100% | succeeded | `test/csv.coverage.test.js` |');
    expect(await git(dir, 'branch', '--show-current')).toBe('more-tests\n');
    expect((await git(dir, 'show', '--name-only', '--format=%s', 'HEAD')).trim().split('\n')).toEqual([
      `Add tests: line coverage ${before}% -> ${after}%`,
      '',
      ...written,
    ]);
    expect(hook.bodies).toEqual([
      expect.objectContaining({ before: String(before), after: String(after), reached: 'true', branch: 'more-tests' }),
    ]);
  }, 240_000);

  it('fails the run when the agents add nothing: the check finds coverage where it was', async () => {
    const dir = await workspace();
    const branch = await git(dir, 'branch', '--show-current');
    const server = await agent(dir, () => []);

    const summary = await runWorkflow(dir, server, ['target=80', 'max_files=2', 'create_branch=true']);

    expect(summary.status).toBe('failed');
    expect(summary.steps['add-tests']?.status).toBe('succeeded');
    expect(summary.steps['check']?.status).toBe('failed');
    expect(await lineCoverage(dir)).toBe(before);
    expect(await read(dir, 'reports/test-coverage.md')).toContain('**Target not reached.**');
    expect(await git(dir, 'branch', '--show-current')).toBe(branch);
    expect(server.modelRequests.length).toBe(2);
  }, 240_000);

  it('fails the run when an agent rewrites the source it should test, before the tests run again', async () => {
    const dir = await workspace();
    // Deleting the uncovered code would "raise coverage": the scope check must catch it. The CLI's
    // Write refuses to replace a file the agent has not read, so this agent reads src/csv.js first.
    const stub = "'use strict';\nmodule.exports = { parseCsv: () => [], toCsv: () => '' };\n";
    const tests =
      "'use strict';\nconst { toCsv } = require('../src/csv');\ntest('toCsv', () => expect(toCsv()).toBe(''));\n";
    const write = (path: string, content: string) =>
      ({ type: 'tool_use', name: 'Write', input: { file_path: join(dir, path), content } }) as const;
    const server = await startScriptedModelServer([
      { content: [{ type: 'tool_use', name: 'Read', input: { file_path: join(dir, 'src/csv.js') } }] },
      { content: [write('test/csv.coverage.test.js', tests), write('src/csv.js', stub)] },
      { content: [{ type: 'text', text: 'Removed the code no test reached, and tested the rest.' }] },
    ]);
    cleanups.push(() => server.close());

    const summary = await runWorkflow(dir, server, ['target=80', 'max_files=1']);

    expect(summary.status).toBe('failed');
    expect(await read(dir, 'src/csv.js')).toBe(stub);
    expect(summary.steps['scope']?.status).toBe('failed');
    expect(summary.progress).toContain(
      'the agent for src/csv.js changed src/csv.js, test/csv.coverage.test.js; it may change only test/csv.coverage.test.js',
    );
    expect(summary.steps['remeasure']?.status).toBe('upstream_failed');
    expect(await read(dir, 'reports/test-coverage.md')).toContain('An agent changed files other than its test file');
  }, 240_000);
});
