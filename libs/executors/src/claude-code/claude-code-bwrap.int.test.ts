import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { createSandbox } from '@flowline/sandbox';

import type { TestContext } from '../test-support/context.js';
import { testContext } from '../test-support/context.js';
import { claudeCodeExecutor } from './claude-code-executor.js';
import { loadClaudeConfig } from './claude-config.js';
import { type ScriptedModelServer, startScriptedModelServer } from './scripted-model-server.js';
import { claudeStep } from './test-support/claude-step.js';

const TIMEOUT_MS = 30_000;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function sandboxed(script: (ws: () => string) => Parameters<typeof startScriptedModelServer>[0]) {
  let workspace = '';
  const server: ScriptedModelServer = await startScriptedModelServer(script(() => workspace));
  const claude = loadClaudeConfig({
    ANTHROPIC_BASE_URL: server.url,
    ANTHROPIC_API_KEY: 'k',
    FLOWLINE_CLAUDE_MAX_RETRIES: '0',
  });
  const { sandbox } = createSandbox({ mode: 'bwrap', searchPath: process.env['PATH'] });
  const context: TestContext = await testContext({ sandbox, config: { claude, killGraceMs: 2_000 } });
  workspace = context.workspace;
  cleanups.push(
    () => server.close(),
    () => context.cleanup(),
  );
  return { server, context };
}

describe('claude_code under bubblewrap', () => {
  it(
    'reaches the model, writes the workspace, and runs the full profile (IS_SANDBOX)',
    async () => {
      const { context } = await sandboxed((ws) => [
        () => ({
          content: [{ type: 'tool_use', name: 'Write', input: { file_path: join(ws(), 'a.txt'), content: 'A' } }],
        }),
        { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'echo B > b.txt', description: 'b' } }] },
        { content: [{ type: 'text', text: 'done' }] },
      ]);
      const outcome = await claudeCodeExecutor.execute(claudeStep('go', { profile: 'full' }), context);
      expect(outcome).toMatchObject({ ok: true, outputs: { result: 'done', num_turns: 3, permission_denials: [] } });
      expect(await readFile(join(context.workspace, 'a.txt'), 'utf8')).toBe('A');
      expect(await readFile(join(context.workspace, 'b.txt'), 'utf8')).toBe('B\n');
    },
    TIMEOUT_MS,
  );

  it(
    'writes into the capture directory when the driver captures changes, leaving the workspace as it was',
    async () => {
      const { context } = await sandboxed((ws) => [
        () => ({
          content: [{ type: 'tool_use', name: 'Write', input: { file_path: join(ws(), 'c.txt'), content: 'C' } }],
        }),
        { content: [{ type: 'text', text: 'done' }] },
      ]);
      const capture = {
        upperDir: join(context.scratchDir, '..', 'upper'),
        workDir: join(context.scratchDir, '..', 'work'),
      };
      await mkdir(capture.upperDir);
      await mkdir(capture.workDir);
      const outcome = await claudeCodeExecutor.execute(claudeStep('go', { profile: 'edit-code' }), {
        ...context,
        capture,
      });

      expect(outcome).toMatchObject({ ok: true, outputs: { result: 'done' } });
      expect(await readdir(context.workspace)).toEqual([]);
      expect(await readFile(join(capture.upperDir, 'c.txt'), 'utf8')).toBe('C');
    },
    TIMEOUT_MS,
  );
});
