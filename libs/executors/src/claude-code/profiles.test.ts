import { describe, expect, it } from '@jest/globals';

import { FlowlineError } from '@flowline/core';

import type { SecurityProfile } from './security-profile.js';
import { BUILTIN_PROFILES, effectiveTools } from './profiles.js';
import { ruleCovers } from './tool-rules.js';

function builtin(name: string): SecurityProfile {
  const profile = BUILTIN_PROFILES.find((candidate) => candidate.name === name);
  if (profile === undefined) throw new Error(`no built-in ${name}`);
  return profile;
}

function widening(profile: SecurityProfile, allowedTools: string[]): FlowlineError | undefined {
  try {
    effectiveTools(profile, { allowedTools, disallowedTools: [] });
    return undefined;
  } catch (error) {
    if (error instanceof FlowlineError) return error;
    throw error;
  }
}

describe('built-in profiles', () => {
  it('grow from reading to editing to running tests, and deny the web except full', () => {
    const readOnly = builtin('read-only');
    const editCode = builtin('edit-code');
    const runTests = builtin('run-tests');
    expect(readOnly).toMatchObject({ allowedTools: ['Read', 'Glob', 'Grep'], permissionMode: 'default' });
    expect(editCode.allowedTools).toEqual(
      expect.arrayContaining([...readOnly.allowedTools, 'Write', 'Edit', 'MultiEdit']),
    );
    expect(editCode.permissionMode).toBe('acceptEdits');
    expect(runTests.allowedTools).toEqual(expect.arrayContaining([...editCode.allowedTools, 'Bash(npm test:*)']));
    expect(runTests.allowedTools.filter((rule) => rule.startsWith('Bash'))).not.toContain('Bash');
    for (const profile of [readOnly, editCode, runTests])
      expect(profile.disallowedTools).toEqual(['WebFetch', 'WebSearch']);
    expect(builtin('full')).toMatchObject({ disallowedTools: [], permissionMode: 'bypassPermissions' });
  });
});

describe('ruleCovers', () => {
  it.each([
    ['Write', 'Write', true],
    ['Write', 'Edit', false],
    ['Bash', 'Bash(npm test:*)', true],
    ['Bash(npm test:*)', 'Bash', false],
    ['Bash(npm test:*)', 'Bash(npm test:*)', true],
    ['Bash(npm test:*)', 'Bash(npm test -- --ci:*)', true],
    ['Bash(npm test:*)', 'Bash(npm test -- --ci)', true],
    ['Bash(npm test:*)', 'Bash(npm testify:*)', false],
    ['Bash(npm test *)', 'Bash(npm test --watch)', true],
    ['Bash(npm test)', 'Bash(npm test -- --ci)', false],
    ['Read(src/**)', 'Read(src/**)', true],
    ['Read(src/**)', 'Read', false],
  ])('%s covers %s: %s', (broad, narrow, expected) => {
    expect(ruleCovers(broad, narrow)).toBe(expected);
  });
});

describe('effectiveTools', () => {
  it('keeps the profile when the step does not narrow it, adding the step’s denials', () => {
    const tools = effectiveTools(builtin('edit-code'), {
      allowedTools: undefined,
      disallowedTools: ['Edit', 'WebFetch'],
    });
    expect(tools.allowedTools).toEqual(builtin('edit-code').allowedTools);
    expect(tools.disallowedTools).toEqual(['WebFetch', 'WebSearch', 'Edit']);
    expect(tools.permissionMode).toBe('acceptEdits');
  });

  it('narrows to the step’s tools in default mode, denying what the step left out', () => {
    const tools = effectiveTools(builtin('run-tests'), {
      allowedTools: ['Read', 'Edit', 'Bash(npm test -- --ci:*)'],
      disallowedTools: [],
    });
    expect(tools.allowedTools).toEqual(['Read', 'Edit', 'Bash(npm test -- --ci:*)']);
    expect(tools.permissionMode).toBe('default');
    expect(tools.disallowedTools).toEqual(
      expect.arrayContaining(['WebFetch', 'Glob', 'Grep', 'Write', 'Bash(npx jest:*)']),
    );
    // The broader rule the narrowed one lies under is not denied, or it would deny the narrowed one too.
    expect(tools.disallowedTools).not.toContain('Bash(npm test:*)');
    expect(tools.disallowedTools).not.toContain('Edit');
  });

  it('lets a step narrow full to anything the profile does not deny, leaving bypass mode', () => {
    const tools = effectiveTools(builtin('full'), { allowedTools: ['Bash', 'WebFetch'], disallowedTools: [] });
    expect(tools).toEqual({ allowedTools: ['Bash', 'WebFetch'], disallowedTools: [], permissionMode: 'default' });
  });

  it('keeps plan mode when narrowing a plan profile', () => {
    const plan: SecurityProfile = {
      name: 'planner',
      allowedTools: ['Read'],
      disallowedTools: [],
      permissionMode: 'plan',
    };
    expect(effectiveTools(plan, { allowedTools: ['Read'], disallowedTools: [] }).permissionMode).toBe('plan');
  });

  it('refuses a widening with a non-retryable profile_widened error naming the tool', () => {
    const error = widening(builtin('edit-code'), ['Read', 'Bash(npm test:*)']);
    expect(error).toMatchObject({ code: 'profile_widened', retryable: false, details: { tool: 'Bash(npm test:*)' } });
    expect(error?.message).toMatch(/Bash\(npm test:\*\).*edit-code/);
    expect(widening(builtin('run-tests'), ['Bash'])?.code).toBe('profile_widened');
    expect(widening(builtin('run-tests'), ['Bash(npm install:*)'])?.code).toBe('profile_widened');
    expect(widening(builtin('read-only'), ['WebSearch'])?.code).toBe('profile_widened');
    const fullButNoWeb: SecurityProfile = { ...builtin('full'), disallowedTools: ['WebFetch'] };
    expect(widening(fullButNoWeb, ['WebFetch(domain:example.com)'])?.code).toBe('profile_widened');
    expect(widening(builtin('run-tests'), ['Read', 'Bash(npx jest --ci:*)'])).toBeUndefined();
  });
});
