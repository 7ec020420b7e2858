import { readFileSync } from 'node:fs';

import { FlowlineError, errorMessage } from '@flowline/core';

import type { SecurityProfile } from './security-profile.js';

const PERMISSION_MODES: readonly SecurityProfile['permissionMode'][] = [
  'default',
  'acceptEdits',
  'bypassPermissions',
  'plan',
];
/** The same names a step's `profile:` may use (schema/workflow.schema.json). */
const PROFILE_NAME = /^[a-z][a-z0-9-]*$/;
const PROFILE_KEYS = new Set(['allowed_tools', 'disallowed_tools', 'permission_mode', 'description']);

/**
 * Reads the profiles of FLOWLINE_PROFILES_FILE, a JSON object
 * `{"profiles": {"<name>": {"allowed_tools": [...], "disallowed_tools":
 * [...], "permission_mode": "..."}}}` (snake_case, like the workflow
 * language). Read once at startup; throws a one-line `bad_config` error
 * naming the file and the first thing wrong with it.
 */
export function loadProfilesFile(path: string): SecurityProfile[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw badFile(path, errorMessage(error));
  }
  return parseProfiles(parsed, (problem) => badFile(path, problem));
}

/** Validates the file's content; `fail` turns a problem into the error to throw. */
export function parseProfiles(value: unknown, fail: (problem: string) => Error): SecurityProfile[] {
  if (!isObject(value)) throw fail('must hold a JSON object');
  const extra = Object.keys(value).find((key) => key !== 'profiles' && !key.startsWith('$'));
  if (extra !== undefined) throw fail(`unknown key "${extra}" (expected "profiles")`);
  const profiles = value['profiles'];
  if (!isObject(profiles)) throw fail('"profiles" must be an object of profiles by name');
  return Object.entries(profiles).map(([name, entry]) => parseProfile(name, entry, fail));
}

function parseProfile(name: string, entry: unknown, fail: (problem: string) => Error): SecurityProfile {
  const where = `profiles["${name}"]`;
  if (!PROFILE_NAME.test(name)) throw fail(`${where}: a profile name is lowercase letters, digits and dashes`);
  if (!isObject(entry)) throw fail(`${where} must be an object`);
  const extra = Object.keys(entry).find((key) => !PROFILE_KEYS.has(key));
  if (extra !== undefined) throw fail(`${where}: unknown key "${extra}"`);
  const mode = entry['permission_mode'] ?? 'default';
  if (!PERMISSION_MODES.includes(mode as SecurityProfile['permissionMode'])) {
    throw fail(`${where}.permission_mode must be one of ${PERMISSION_MODES.join(', ')}`);
  }
  return {
    name,
    allowedTools: toolList(entry['allowed_tools'], `${where}.allowed_tools`, fail),
    disallowedTools: toolList(entry['disallowed_tools'] ?? [], `${where}.disallowed_tools`, fail),
    permissionMode: mode as SecurityProfile['permissionMode'],
  };
}

function toolList(value: unknown, where: string, fail: (problem: string) => Error): string[] {
  const valid = Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== '');
  if (!valid) throw fail(`${where} must be an array of tool names or rules, e.g. ["Read", "Bash(npm test:*)"]`);
  return value as string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badFile(path: string, problem: string): FlowlineError {
  return new FlowlineError('bad_config', `FLOWLINE_PROFILES_FILE ${path}: ${problem}`);
}
