/** A named security profile: what Claude Code may do (DESIGN §2 "Security profiles"). */
export interface SecurityProfile {
  readonly name: string;
  readonly allowedTools: readonly string[];
  readonly disallowedTools: readonly string[];
  readonly permissionMode: 'default' | 'acceptEdits' | 'bypassPermissions' | 'plan';
}

export interface ClaudeConfig {
  /** The Claude Code CLI binary. */
  readonly binary: string;
  /** Variables the CLI gets besides the step's env (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, …). */
  readonly env: Readonly<Record<string, string>>;
  readonly profiles: ReadonlyMap<string, SecurityProfile>;
}

export function loadClaudeConfig(_env: Readonly<Record<string, string | undefined>>): ClaudeConfig {
  throw new Error('not implemented');
}
