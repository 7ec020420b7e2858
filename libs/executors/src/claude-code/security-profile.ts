/** A named security profile: what Claude Code may do (DESIGN §2 "Security profiles"). */
export interface SecurityProfile {
  readonly name: string;
  readonly allowedTools: readonly string[];
  readonly disallowedTools: readonly string[];
  readonly permissionMode: 'default' | 'acceptEdits' | 'bypassPermissions' | 'plan';
}
