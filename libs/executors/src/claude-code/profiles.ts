import { FlowlineError } from '@flowline/core';
import type { RenderedClaudeCode } from '@flowline/engine';

import type { SecurityProfile } from './security-profile.js';
import { ruleCovers } from './tool-rules.js';

/** Tools that only look. (LS and NotebookRead are gone from current CLIs: Read and Glob do their work.) */
const READ_TOOLS = ['Read', 'Glob', 'Grep'];
/** MultiEdit is listed for older CLIs; 2.1 folded it into Edit. */
const EDIT_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'];
/** Test runners, as command prefixes: `npm test -- --ci` matches, `npm install` does not. */
const TEST_COMMANDS = [
  'npm test',
  'npm run test',
  'npx jest',
  'npx vitest',
  'yarn test',
  'pnpm test',
  'pytest',
  'python -m pytest',
  'go test',
  'cargo test',
  'make test',
];
const WEB_TOOLS = ['WebFetch', 'WebSearch'];

/** The profiles every installation has (DESIGN §2); FLOWLINE_PROFILES_FILE may add to or replace them. */
export const BUILTIN_PROFILES: readonly SecurityProfile[] = [
  { name: 'read-only', allowedTools: READ_TOOLS, disallowedTools: WEB_TOOLS, permissionMode: 'default' },
  {
    name: 'edit-code',
    allowedTools: [...READ_TOOLS, ...EDIT_TOOLS],
    disallowedTools: WEB_TOOLS,
    permissionMode: 'acceptEdits',
  },
  {
    name: 'run-tests',
    allowedTools: [...READ_TOOLS, ...EDIT_TOOLS, ...TEST_COMMANDS.map((command) => `Bash(${command}:*)`)],
    disallowedTools: WEB_TOOLS,
    permissionMode: 'acceptEdits',
  },
  { name: 'full', allowedTools: [], disallowedTools: [], permissionMode: 'bypassPermissions' },
];

/** What the CLI is told for one step: its profile as the step narrowed it. */
export interface EffectiveTools {
  readonly allowedTools: readonly string[];
  readonly disallowedTools: readonly string[];
  readonly permissionMode: SecurityProfile['permissionMode'];
}

/**
 * Applies a step's `allowed_tools` and `disallowed_tools` to its profile.
 * Denials add up (the profile's ∪ the step's). `allowed_tools` may only
 * narrow: each rule must lie within the profile (a bypassPermissions profile
 * holds every tool it does not deny), else a non-retryable
 * `profile_widened` error names it. A narrowed step runs in `default` mode
 * (`plan` stays `plan`): acceptEdits and bypassPermissions approve tools
 * beyond the allowed list, which would undo the narrowing. The profile's
 * rules the step left out are denied outright, since Read, Glob and Grep
 * need no approval in any mode.
 */
export function effectiveTools(
  profile: SecurityProfile,
  step: Pick<RenderedClaudeCode, 'allowedTools' | 'disallowedTools'>,
): EffectiveTools {
  const denied = union(profile.disallowedTools, step.disallowedTools);
  const narrowed = step.allowedTools;
  if (narrowed === undefined) {
    return { allowedTools: profile.allowedTools, disallowedTools: denied, permissionMode: profile.permissionMode };
  }
  const widening = narrowed.find((rule) => !profileHolds(profile, rule));
  if (widening !== undefined) throw widened(profile, widening);
  const left = profile.allowedTools.filter((rule) => !narrowed.some((kept) => ruleCovers(rule, kept)));
  return {
    allowedTools: union(narrowed, []),
    disallowedTools: union(denied, left),
    permissionMode: profile.permissionMode === 'plan' ? 'plan' : 'default',
  };
}

function profileHolds(profile: SecurityProfile, rule: string): boolean {
  if (profile.disallowedTools.some((denied) => ruleCovers(denied, rule))) return false;
  if (profile.permissionMode === 'bypassPermissions') return true;
  return profile.allowedTools.some((allowed) => ruleCovers(allowed, rule));
}

function widened(profile: SecurityProfile, rule: string): FlowlineError {
  const message =
    `allowed_tools lists ${rule}, which profile ${profile.name} does not allow; ` +
    'a step may narrow its profile, never widen it (choose a broader profile instead)';
  return new FlowlineError('profile_widened', message, { details: { profile: profile.name, tool: rule } });
}

function union(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}
