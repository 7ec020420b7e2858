import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import type { RenderedClaudeCode, StepOutcome } from '@flowline/engine';

import type { TestContext } from '../test-support/context.js';
import { claudeCodeExecutor } from './claude-code-executor.js';
import { toolResultsOf } from './scripted-messages.js';
import { type ScriptStep, type ScriptedModelServer, startScriptedModelServer } from './scripted-model-server.js';
import { claudeContext } from './test-support/claude-context.js';
import { claudeStep } from './test-support/claude-step.js';

// Each case runs the real CLI (about half a second); the margin is for a loaded machine.
const TIMEOUT_MS = 30_000;

interface Agent {
  readonly server: ScriptedModelServer;
  readonly context: TestContext;
}

const started: Agent[] = [];
afterEach(async () => {
  for (const { server, context } of started.splice(0)) {
    await server.close();
    await context.cleanup();
  }
});

/** A scripted server and a fresh workspace; `script` may read the workspace path through `ws()`. */
async function agent(
  script: (ws: () => string) => ScriptStep[],
  options: Parameters<typeof claudeContext>[1] = {},
): Promise<Agent> {
  let workspace = '';
  const server = await startScriptedModelServer(script(() => workspace));
  const context = await claudeContext(server, options);
  workspace = context.workspace;
  started.push({ server, context });
  return { server, context };
}

function run(step: RenderedClaudeCode, { context }: Agent): Promise<StepOutcome> {
  return claudeCodeExecutor.execute(step, context);
}

const say = (text: string): ScriptStep => ({ content: [{ type: 'text', text }] });
const writeFileTurn =
  (path: () => string, content: string): ScriptStep =>
  () => ({
    content: [{ type: 'tool_use', name: 'Write', input: { file_path: path(), content } }],
  });

describe('claude_code executor, real CLI against the scripted model', () => {
  it(
    'returns the final answer, the turn count and the usage',
    async () => {
      const a = await agent(() => [say('The answer is 42.')]);
      const outcome = await run(claudeStep('What is six times seven?'), a);

      expect(outcome.ok).toBe(true);
      expect(outcome.outputs).toMatchObject({ result: 'The answer is 42.', num_turns: 1, permission_denials: [] });
      const outputs = outcome.outputs as Record<string, number | string>;
      expect(outputs['session_id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(outputs['input_tokens']).toBeGreaterThan(1000); // the CLI's system prompt and tools
      expect(outputs['output_tokens']).toBeGreaterThan(0);
      expect(outputs['cost_usd']).toBeGreaterThan(0);
      expect(outcome.usage).toEqual({
        costUsd: outputs['cost_usd'],
        tokens: (outputs['input_tokens'] as number) + (outputs['output_tokens'] as number),
      });
      const [request] = a.server.modelRequests;
      expect(request?.headers['x-api-key']).toBe('sk-ant-scripted');
      expect(JSON.stringify(request?.body)).toContain('What is six times seven?');
      expect(a.context.logs.map((line) => line.text).join('')).toContain('assistant: The answer is 42.');
    },
    TIMEOUT_MS,
  );

  it(
    'edits real files in the workspace with the edit-code profile',
    async () => {
      const a = await agent((ws) => [writeFileTurn(() => join(ws(), 'src', 'hello.txt'), 'hello\n'), say('Wrote it.')]);
      const outcome = await run(claudeStep('Write hello', { profile: 'edit-code' }), a);

      expect(outcome).toMatchObject({ ok: true, outputs: { result: 'Wrote it.', num_turns: 2 } });
      expect(await readFile(join(a.context.workspace, 'src', 'hello.txt'), 'utf8')).toBe('hello\n');
      const [result] = toolResultsOf(a.server.modelRequests[1]!);
      expect(result?.is_error).not.toBe(true);
    },
    TIMEOUT_MS,
  );

  it(
    'denies a write under the read-only profile and reports the denial',
    async () => {
      const target = () => join(a.context.workspace, 'hello.txt');
      const a: Agent = await agent(() => [writeFileTurn(target, 'nope'), say('Could not write.')]);
      const outcome = await run(claudeStep('Write hello', { profile: 'read-only' }), a);

      expect(outcome.ok).toBe(true);
      expect(existsSync(target())).toBe(false);
      expect(outcome.outputs?.['permission_denials']).toEqual([
        expect.objectContaining({ tool_name: 'Write', tool_input: { file_path: target(), content: 'nope' } }),
      ]);
      const [fedBack] = toolResultsOf(a.server.modelRequests[1]!);
      expect(fedBack).toMatchObject({ is_error: true });
      expect(JSON.stringify(fedBack?.content)).toMatch(/permission/i);
    },
    TIMEOUT_MS,
  );

  it(
    'keeps a narrowed step to the tools it lists (edit-code narrowed to reading)',
    async () => {
      const a = await agent((ws) => [writeFileTurn(() => join(ws(), 'x.txt'), 'x'), say('ok')]);
      const step = claudeStep('Write x', { profile: 'edit-code', allowedTools: ['Read', 'Grep'] });
      const outcome = await run(step, a);

      expect(outcome.ok).toBe(true);
      expect(existsSync(join(a.context.workspace, 'x.txt'))).toBe(false);
      expect(toolResultsOf(a.server.modelRequests[1]!)[0]).toMatchObject({ is_error: true });
    },
    TIMEOUT_MS,
  );

  it(
    'runs test commands under run-tests, with the step env and secrets, and denies other commands',
    async () => {
      const bash = (command: string): ScriptStep => ({
        content: [{ type: 'tool_use', name: 'Bash', input: { command, description: 'run' } }],
      });
      const a = await agent(() => [bash('npm test'), bash('node -e "1"'), say('Tests ran.')], {
        secrets: { API_TOKEN: 's3cret' },
      });
      const script = "node -e \"require('fs').writeFileSync('ran.txt', process.env.GREETING + process.env.API_TOKEN)\"";
      await writeFile(join(a.context.workspace, 'package.json'), JSON.stringify({ scripts: { test: script } }));
      const outcome = await run(claudeStep('Run the tests', { profile: 'run-tests', env: { GREETING: 'hi-' } }), a);

      expect(outcome.ok).toBe(true);
      expect(await readFile(join(a.context.workspace, 'ran.txt'), 'utf8')).toBe('hi-s3cret');
      expect(outcome.outputs?.['permission_denials']).toEqual([
        expect.objectContaining({ tool_name: 'Bash', tool_input: expect.objectContaining({ command: 'node -e "1"' }) }),
      ]);
    },
    TIMEOUT_MS,
  );

  it(
    'masks the model credentials, which the agent’s commands can see, in its log and outputs',
    async () => {
      const bash = { type: 'tool_use', name: 'Bash', input: { command: 'npm test', description: 'test' } } as const;
      const a = await agent(() => [{ content: [bash] }, say('The key is sk-ant-scripted.')]);
      const test = 'node -e "console.log(process.env.ANTHROPIC_API_KEY)"';
      await writeFile(join(a.context.workspace, 'package.json'), JSON.stringify({ scripts: { test } }));
      const outcome = await run(claudeStep('Run the tests', { profile: 'run-tests' }), a);

      expect(JSON.stringify(toolResultsOf(a.server.modelRequests[1]!))).toContain('sk-ant-scripted');
      expect(outcome).toMatchObject({ ok: true, outputs: { result: 'The key is ***.' } });
      const log = a.context.logs.map((line) => line.text).join('');
      expect(log).toContain('↳ ');
      expect(log).not.toContain('sk-ant-scripted');
    },
    TIMEOUT_MS,
  );

  it(
    'ignores the workspace’s .claude/settings.json: its hooks and permission rules cannot widen the profile',
    async () => {
      const target = () => join(a.context.workspace, 'hello.txt');
      const a: Agent = await agent(() => [writeFileTurn(target, 'nope'), say('ok')]);
      const hookRan = join(a.context.scratchDir, 'hook-ran');
      const settings = {
        permissions: { allow: ['Write', 'Bash'], defaultMode: 'bypassPermissions' },
        hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: `touch ${hookRan}` }] }] },
      };
      await mkdir(join(a.context.workspace, '.claude'));
      await writeFile(join(a.context.workspace, '.claude', 'settings.json'), JSON.stringify(settings));
      const outcome = await run(claudeStep('Write hello', { profile: 'read-only' }), a);

      expect(outcome.ok).toBe(true);
      expect(existsSync(target())).toBe(false);
      expect(existsSync(hookRan)).toBe(false);
      expect(outcome.outputs?.['permission_denials']).toHaveLength(1);
    },
    TIMEOUT_MS,
  );

  it(
    'passes the workspace CLAUDE.md and append_system_prompt in the system prompt',
    async () => {
      const a = await agent(() => [say('ok')]);
      await writeFile(join(a.context.workspace, 'CLAUDE.md'), 'Always use tabs (MARKER-ROOT).');
      await mkdir(join(a.context.workspace, 'pkg'));
      await writeFile(join(a.context.workspace, 'pkg', 'CLAUDE.md'), 'Package rules (MARKER-PKG).');
      const step = claudeStep('hi', { workingDirectory: 'pkg', appendSystemPrompt: 'Be brief (MARKER-STEP).' });
      const outcome = await run(step, a);

      expect(outcome.ok).toBe(true);
      const system = JSON.stringify((a.server.modelRequests[0]?.body as { system: unknown }).system);
      expect(system).toMatch(/MARKER-ROOT[\s\S]*MARKER-PKG[\s\S]*MARKER-STEP/);
    },
    TIMEOUT_MS,
  );

  it(
    'reports an overloaded model (529) as retryable model_unavailable',
    async () => {
      const a = await agent(() => [{ status: 529, error: { type: 'overloaded_error', message: 'Overloaded' } }]);
      const outcome = await run(claudeStep('hi'), a);

      expect(outcome).toMatchObject({ ok: false, error: { code: 'model_unavailable', retryable: true } });
      expect(outcome.ok === false && outcome.error.message).toMatch(/HTTP 529/);
      expect(a.server.modelRequests).toHaveLength(1); // the CLI did not retry on its own
    },
    TIMEOUT_MS,
  );

  it(
    'reports a rate limit (429) as retryable and a bad request (400) as not',
    async () => {
      const limited = await agent(() => [{ status: 429, error: { type: 'rate_limit_error', message: 'Slow down' } }]);
      expect(await run(claudeStep('hi'), limited)).toMatchObject({
        ok: false,
        error: { code: 'model_unavailable', retryable: true },
      });
      const bad = await agent(() => [{ status: 400, error: { type: 'invalid_request_error', message: 'Bad thing' } }]);
      expect(await run(claudeStep('hi'), bad)).toMatchObject({
        ok: false,
        error: { code: 'claude_code_failed', retryable: false },
      });
    },
    TIMEOUT_MS,
  );

  it(
    'fails clearly when max_turns is reached, still reporting the usage',
    async () => {
      const a = await agent((ws) => [writeFileTurn(() => join(ws(), 'a.txt'), 'a'), say('never reached')]);
      const outcome = await run(claudeStep('Write a', { profile: 'edit-code', maxTurns: 1 }), a);

      expect(outcome).toMatchObject({ ok: false, error: { code: 'max_turns', retryable: false } });
      expect(outcome.ok === false && outcome.error.message).toMatch(/max_turns \(1\)/);
      expect(outcome.usage?.tokens).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it('refuses a step that widens its profile, naming the tool, without starting the CLI', async () => {
    const a = await agent(() => [say('unused')]);
    const outcome = await run(claudeStep('hi', { profile: 'read-only', allowedTools: ['Read', 'Write'] }), a);

    expect(outcome).toMatchObject({ ok: false, error: { code: 'profile_widened', retryable: false } });
    expect(outcome.ok === false && outcome.error.message).toMatch(/Write.*read-only/);
    expect(a.server.requests).toHaveLength(0);
  });

  it('refuses an unknown profile', async () => {
    const a = await agent(() => []);
    const outcome = await run(claudeStep('hi', { profile: 'nope' }), a);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'unknown_profile', retryable: false } });
  });

  it(
    'kills the CLI when cancelled mid-turn, and reports a timeout as retryable',
    async () => {
      for (const reason of ['cancelled', 'timeout'] as const) {
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        const a = await agent(() => [
          async () => {
            a.context.controller.abort(reason);
            await held;
            return { content: [{ type: 'text', text: 'too late' }] };
          },
        ]);
        const outcome = await run(claudeStep('hi'), a);
        release();
        expect(outcome).toMatchObject({ ok: false, error: { code: reason, retryable: reason === 'timeout' } });
      }
    },
    TIMEOUT_MS,
  );

  it('reports a missing CLI binary as spawn_failed', async () => {
    const a = await agent(() => [], { env: { FLOWLINE_CLAUDE_BIN: '/nonexistent/claude' } });
    const outcome = await run(claudeStep('hi'), a);
    expect(outcome).toMatchObject({ ok: false, error: { code: 'spawn_failed', retryable: false } });
  });
});
