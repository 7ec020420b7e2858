import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { loadClaudeConfig } from './claude-config.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowline-profiles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function profilesFile(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function loadError(env: Record<string, string>): string {
  try {
    loadClaudeConfig(env);
  } catch (error) {
    expect(error).toMatchObject({ code: 'bad_config' });
    return (error as Error).message;
  }
  throw new Error('loadClaudeConfig accepted a bad configuration');
}

describe('loadClaudeConfig', () => {
  it('finds the installed native CLI binary', () => {
    const { binary } = loadClaudeConfig({});
    expect(binary).toMatch(/@anthropic-ai\/claude-code-[a-z0-9-]+\/claude$/);
    expect(() => accessSync(binary, constants.X_OK)).not.toThrow();
  });

  it('takes FLOWLINE_CLAUDE_BIN over the installed binary', () => {
    expect(loadClaudeConfig({ FLOWLINE_CLAUDE_BIN: '/opt/claude' }).binary).toBe('/opt/claude');
  });

  it('passes the endpoint and credentials, turns off non-essential traffic, and bounds the CLI’s retries', () => {
    const { env } = loadClaudeConfig({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      ANTHROPIC_API_KEY: 'sk-1',
      ANTHROPIC_AUTH_TOKEN: 'tok',
      AWS_SECRET_ACCESS_KEY: 'never passed',
    });
    expect(env).toEqual({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      ANTHROPIC_API_KEY: 'sk-1',
      ANTHROPIC_AUTH_TOKEN: 'tok',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_MAX_RETRIES: '2',
    });
    expect(loadClaudeConfig({ FLOWLINE_CLAUDE_MAX_RETRIES: '0' }).env['CLAUDE_CODE_MAX_RETRIES']).toBe('0');
    expect(loadError({ FLOWLINE_CLAUDE_MAX_RETRIES: 'lots' })).toMatch(/FLOWLINE_CLAUDE_MAX_RETRIES.*"lots"/);
    expect(loadError({ FLOWLINE_CLAUDE_MAX_RETRIES: '11' })).toMatch(/0 to 10/);
  });

  it('has the four built-in profiles', () => {
    expect([...loadClaudeConfig({}).profiles.keys()]).toEqual(['read-only', 'edit-code', 'run-tests', 'full']);
  });

  it('adds and replaces profiles from FLOWLINE_PROFILES_FILE', async () => {
    const path = await profilesFile('ok.json', {
      $schema: 'ignored',
      profiles: {
        'docs-only': { allowed_tools: ['Read', 'Edit(docs/**)'], permission_mode: 'acceptEdits' },
        'read-only': { allowed_tools: ['Read'], disallowed_tools: ['Bash'], description: 'no shell at all' },
      },
    });
    const { profiles } = loadClaudeConfig({ FLOWLINE_PROFILES_FILE: path });

    expect(profiles.get('docs-only')).toEqual({
      name: 'docs-only',
      allowedTools: ['Read', 'Edit(docs/**)'],
      disallowedTools: [],
      permissionMode: 'acceptEdits',
    });
    expect(profiles.get('read-only')).toMatchObject({ allowedTools: ['Read'], disallowedTools: ['Bash'] });
    expect(profiles.get('edit-code')?.permissionMode).toBe('acceptEdits');
  });

  it.each([
    ['not JSON', '{"profiles":', /bad\.json: .*JSON/],
    ['an array', [], /must hold a JSON object/],
    ['no profiles object', { profiles: [] }, /"profiles" must be an object/],
    ['an unknown top-level key', { profile: {} }, /unknown key "profile"/],
    ['a bad profile name', { profiles: { Bad_Name: { allowed_tools: [] } } }, /profiles\["Bad_Name"\].*lowercase/],
    ['missing allowed_tools', { profiles: { x: {} } }, /profiles\["x"\]\.allowed_tools must be an array/],
    ['a non-string tool', { profiles: { x: { allowed_tools: ['Read', 3] } } }, /allowed_tools must be an array/],
    ['an empty tool', { profiles: { x: { allowed_tools: [' '] } } }, /allowed_tools must be an array/],
    ['bad disallowed_tools', { profiles: { x: { allowed_tools: [], disallowed_tools: 'Bash' } } }, /disallowed_tools/],
    [
      'a bad mode',
      { profiles: { x: { allowed_tools: [], permission_mode: 'yolo' } } },
      /permission_mode must be one of/,
    ],
    ['a misspelt key', { profiles: { x: { allowed_tool: [] } } }, /profiles\["x"\]: unknown key "allowed_tool"/],
  ])('rejects a profiles file with %s, naming the variable and the file', async (_case, content, message) => {
    const path = await profilesFile('bad.json', content);
    const text = loadError({ FLOWLINE_PROFILES_FILE: path });
    expect(text).toMatch(`FLOWLINE_PROFILES_FILE ${path}: `);
    expect(text).toMatch(message);
  });

  it('rejects a profiles file that does not exist', () => {
    expect(loadError({ FLOWLINE_PROFILES_FILE: join(dir, 'missing.json') })).toMatch(/missing\.json: ENOENT/);
  });
});
