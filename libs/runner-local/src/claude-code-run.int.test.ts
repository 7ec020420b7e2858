import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { type ScriptedModelServer, startScriptedModelServer } from '@flowline/executors';

import { type Harness, harness, outputsOf, statuses } from './test-support/local-harness.js';

let h: Harness;
let server: ScriptedModelServer;
afterEach(async () => {
  await server.close();
  await h.cleanup();
});

describe('claude_code steps in a local run (real CLI, scripted model, bubblewrap)', () => {
  it('the agent edits the workspace, the driver lists files_changed, and the next step sees the file', async () => {
    let workspace = '';
    server = await startScriptedModelServer([
      () => ({
        content: [
          { type: 'tool_use', name: 'Write', input: { file_path: join(workspace, 'NOTES.md'), content: '# notes\n' } },
        ],
      }),
      { content: [{ type: 'text', text: 'wrote the notes' }] },
    ]);
    h = await harness('bwrap', {
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: 'test-key',
      FLOWLINE_CLAUDE_MAX_RETRIES: '0',
    });
    workspace = h.workspace;
    const result = await h.run(`
version: 1
name: agent
steps:
  - { id: write, type: claude_code, profile: edit-code, prompt: 'Write NOTES.md' }
  - { id: show, type: shell, needs: [write], run: 'cat NOTES.md' }
`);
    expect(statuses(result)).toEqual({ write: 'succeeded', show: 'succeeded' });
    expect(outputsOf(result, 'write')).toMatchObject({ result: 'wrote the notes', files_changed: ['NOTES.md'] });
    expect(outputsOf(result, 'show')['stdout']).toBe('# notes\n');
    expect(result.state.usage.tokens).toBeGreaterThan(0);
  }, 60_000);

  it('stops agent steps once the run budget is spent', async () => {
    server = await startScriptedModelServer([
      { content: [{ type: 'text', text: 'first' }], usage: { input_tokens: 900, output_tokens: 200 } },
      { content: [{ type: 'text', text: 'never' }] },
    ]);
    h = await harness('bwrap', {
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: 'test-key',
      FLOWLINE_CLAUDE_MAX_RETRIES: '0',
    });
    const result = await h.run(`
version: 1
name: budget
budget: { max_tokens: 1000 }
steps:
  - { id: one, type: claude_code, prompt: 'one' }
  - { id: two, type: claude_code, needs: [one], prompt: 'two' }
`);
    expect(statuses(result)).toEqual({ one: 'succeeded', two: 'failed' });
    expect(result.state.steps.get(1).error).toMatchObject({ code: 'budget_exhausted', retryable: false });
    expect(server.modelRequests.length).toBe(1);
  }, 60_000);
});
