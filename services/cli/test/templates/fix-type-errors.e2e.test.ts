import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import type { ScriptedModelServer } from '@flowline/executors';

import { startFileEditingAgent } from '../support/file-editing-agent.js';
import { type FlowlineResult, runFlowline } from '../support/flowline-process.js';
import { READ_REPO_NODE_MODULES } from '../support/repository.js';
import {
  BROKEN_FILES,
  WORKFLOW,
  changedFiles,
  fixedContent,
  fixingPlanner,
  fixtureCopy,
  snapshot,
  typecheck,
} from './type-errors-fixture.js';

/**
 * templates/fix-type-errors.yaml end to end, as a user runs it: `flowline
 * run` on a copy of the fixture project, tsc from node_modules, the real
 * bubblewrap sandbox, and the real Claude Code CLI whose model is a scripted
 * server that writes the correct fix of the file each prompt names. The
 * outcome is judged by running tsc ourselves afterwards.
 */

const TIMEOUT_MS = 240_000;

let workspace: string;
let stateDir: string;
let server: ScriptedModelServer | undefined;

beforeEach(async () => {
  workspace = await fixtureCopy();
  stateDir = await mkdtemp(join(tmpdir(), 'flowline-type-errors-state-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(workspace, { recursive: true, force: true });
  await rm(stateDir, { recursive: true, force: true });
});

interface RunSummary {
  readonly status: string;
  readonly outputs: Record<string, string>;
  readonly steps: Record<string, { status: string; outputs: Record<string, unknown> }>;
}

/** `flowline run` of the workflow on the workspace, the agent's model being the scripted server. */
async function runWorkflow(fixes: readonly string[], inputs: readonly string[] = []) {
  const agent = await fixingPlanner(fixes);
  server = await startFileEditingAgent(() => workspace, agent.plan);
  const args = ['run', WORKFLOW, '--workspace', workspace, '--json', ...inputs.flatMap((i) => ['--input', i])];
  const result = await runFlowline(args, {
    env: {
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: 'test-key',
      FLOWLINE_CLAUDE_MAX_RETRIES: '0',
      FLOWLINE_STATE_DIR: stateDir,
      ...READ_REPO_NODE_MODULES,
    },
  });
  return { result, summary: summaryOf(result), prompts: agent.prompts };
}

function summaryOf(result: FlowlineResult): RunSummary {
  try {
    return JSON.parse(result.stdout) as RunSummary;
  } catch {
    throw new Error(`flowline run printed no JSON summary (exit ${result.code}):\n${result.stderr}`);
  }
}

function statusesOf(summary: RunSummary): Record<string, string> {
  return Object.fromEntries(Object.entries(summary.steps).map(([id, step]) => [id, step.status]));
}

function report(): Promise<string> {
  return readFile(join(workspace, 'type-errors-report.md'), 'utf8');
}

describe('templates/fix-type-errors.yaml on the ts-type-errors fixture', () => {
  it('starts from a project that really has type errors, of several codes, in three of its five files', async () => {
    const tsc = await typecheck(workspace);
    expect(tsc.code).not.toBe(0);
    const files = new Set(tsc.errors.map((line) => line.slice(0, line.indexOf('('))));
    expect([...files].sort()).toEqual([...BROKEN_FILES]);
    const codes = new Set(tsc.errors.map((line) => /error (TS\d+)/.exec(line)?.[1]));
    expect([...codes].sort()).toEqual(['TS2322', 'TS2339', 'TS2345', 'TS7006']);
    expect(tsc.errors).toHaveLength(8);
  });

  it(
    'fixes every file: tsc then reports no error, only the broken files changed, and the report says so',
    async () => {
      const before = await snapshot(workspace);
      const { result, summary, prompts } = await runWorkflow(BROKEN_FILES);

      expect({ code: result.code, status: summary.status }).toEqual({ code: 0, status: 'succeeded' });
      expect(await typecheck(workspace)).toEqual({ code: 0, errors: [] });
      expect(changedFiles(before, await snapshot(workspace))).toEqual([...BROKEN_FILES, 'type-errors-report.md']);
      for (const file of BROKEN_FILES)
        expect(await readFile(join(workspace, file), 'utf8')).toBe(await fixedContent(file));

      expect(statusesOf(summary)).toMatchObject({
        typecheck: 'succeeded',
        fix: 'succeeded',
        'fix[0]': 'succeeded',
        'fix[2]': 'succeeded',
        recheck: 'succeeded',
        'all-fixed': 'succeeded',
        notify: 'skipped',
      });
      expect(summary.outputs).toMatchObject({ errors_before: '8', errors_after: '0', files_with_errors_after: '0' });

      // Each agent was told its own file's errors, parsed from tsc's report.
      expect([...prompts.keys()].sort()).toEqual([...BROKEN_FILES]);
      expect(prompts.get('src/inventory.ts')).toContain(
        "line 49, column 62: TS2339 Property 'quantity' does not exist on type 'StockLevel'.",
      );
      expect(prompts.get('src/orders.ts')).toContain("TS7006 Parameter 'line' implicitly has an 'any' type.");
      expect(prompts.get('src/orders.ts')).not.toContain('quantity');
      expect(prompts.get('src/report.ts')).toContain('Do not silence the compiler: no `any`, no `@ts-ignore`');

      const text = await report();
      expect(text).toContain('# Type errors: 8 before, 0 after');
      expect(text).toContain('The agents fixed 8 errors in 3 files.');
      expect(text).toContain('| `src/inventory.ts` | 3 | 0 | succeeded |');
      expect(text).toContain('| TS7006 | 3 | 0 |');
      expect(text).not.toContain('## What remains');
    },
    TIMEOUT_MS,
  );

  it(
    'an agent that fixes only one file: the run fails, and the report lists every error that remains',
    async () => {
      const { result, summary } = await runWorkflow(['src/inventory.ts']);

      expect({ code: result.code, status: summary.status }).toEqual({ code: 1, status: 'failed' });
      expect(statusesOf(summary)).toMatchObject({ fix: 'succeeded', report: 'succeeded', 'all-fixed': 'failed' });
      expect(result.stderr).toContain('5 type error(s) remain: src/orders.ts (2), src/report.ts (3); the report is');

      const tsc = await typecheck(workspace);
      expect(tsc.errors).toHaveLength(5);
      expect(tsc.errors.some((line) => line.startsWith('src/inventory.ts'))).toBe(false);

      const text = await report();
      expect(text).toContain('**5 errors remain** in 2 files');
      expect(text).toContain('| `src/inventory.ts` | 3 | 0 | succeeded |');
      expect(text).toContain('| `src/orders.ts` | 2 | 2 | succeeded, no edit |');
      expect(text).toContain('## What remains');
      expect(text).toContain("- line 33, column 74: TS2339 Property 'revenue' does not exist on type 'ProductSales'.");
      expect(text).toContain('Nothing to change.');
    },
    TIMEOUT_MS,
  );

  it(
    'max_files with allow_remaining: a best-effort pass fixes the first file, succeeds, and reports the rest',
    async () => {
      const { result, summary, prompts } = await runWorkflow(BROKEN_FILES, ['max_files=1', 'allow_remaining=true']);

      expect({ code: result.code, status: summary.status }).toEqual({ code: 0, status: 'succeeded' });
      expect([...prompts.keys()]).toEqual(['src/inventory.ts']);
      expect((await typecheck(workspace)).errors).toHaveLength(5);
      expect(summary.outputs).toMatchObject({ errors_before: '8', errors_after: '5' });

      const text = await report();
      expect(text).toContain('| `src/orders.ts` | 2 | 2 | not sent: beyond max_files (1) |');
      expect(text).toContain('### `src/report.ts`');
    },
    TIMEOUT_MS,
  );
});
