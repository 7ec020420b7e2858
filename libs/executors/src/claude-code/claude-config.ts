import { FlowlineError } from '@flowline/core';

import { resolveClaudeBinary } from './claude-binary.js';
import { BUILTIN_PROFILES } from './profiles.js';
import { loadProfilesFile } from './profiles-file.js';
import type { SecurityProfile } from './security-profile.js';

export type { SecurityProfile } from './security-profile.js';

export interface ClaudeConfig {
  /** The Claude Code CLI binary. */
  readonly binary: string;
  /** Variables the CLI gets besides the step's env (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, …). */
  readonly env: Readonly<Record<string, string>>;
  readonly profiles: ReadonlyMap<string, SecurityProfile>;
}

/** Credentials and endpoint, passed to the CLI when the operator sets them. */
const PASSTHROUGH = ['ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'] as const;

/**
 * The CLI retries a failed model call itself, with backoff, keeping the
 * session's progress; a Flowline retry starts the agent over. So it gets a
 * couple of quick tries for a blip, and a persistent outage reaches our
 * scheduler (whose retry policy and backoff the workflow controls) within
 * seconds instead of the CLI's default ten tries.
 */
const DEFAULT_CLI_RETRIES = 2;
/** The CLI clamps CLAUDE_CODE_MAX_RETRIES to its own ceiling anyway. */
const MAX_CLI_RETRIES = 10;

/**
 * Reads the claude_code settings: FLOWLINE_CLAUDE_BIN (else the installed
 * platform binary), the Anthropic endpoint and credentials,
 * FLOWLINE_CLAUDE_MAX_RETRIES (the CLI's own retries of a model call) and
 * FLOWLINE_PROFILES_FILE (profiles added to, or replacing, the built-in
 * ones). Throws a one-line `bad_config` error naming a malformed variable.
 */
export function loadClaudeConfig(env: Readonly<Record<string, string | undefined>>): ClaudeConfig {
  const binary = nonEmpty(env['FLOWLINE_CLAUDE_BIN']) ?? resolveClaudeBinary();
  const profiles = new Map(BUILTIN_PROFILES.map((profile) => [profile.name, profile]));
  const file = nonEmpty(env['FLOWLINE_PROFILES_FILE']);
  if (file !== undefined) for (const profile of loadProfilesFile(file)) profiles.set(profile.name, profile);
  return { binary, env: cliEnv(env), profiles };
}

function cliEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {
    // No telemetry, error reporting or update checks: the CLI talks to the model endpoint only.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_MAX_RETRIES: String(cliRetries(env['FLOWLINE_CLAUDE_MAX_RETRIES'])),
  };
  for (const name of PASSTHROUGH) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function cliRetries(text: string | undefined): number {
  if (nonEmpty(text) === undefined) return DEFAULT_CLI_RETRIES;
  const retries = Number(text);
  if (!Number.isInteger(retries) || retries < 0 || retries > MAX_CLI_RETRIES) {
    throw new FlowlineError('bad_config', `FLOWLINE_CLAUDE_MAX_RETRIES must be an integer from 0 to 10, not "${text}"`);
  }
  return retries;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
