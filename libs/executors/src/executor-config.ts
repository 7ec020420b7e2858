import { type ClaudeConfig, loadClaudeConfig } from './claude-code/claude-config.js';
import { parseSandboxReadable } from './sandbox-readable.js';
import { type EgressPolicy, parseEgressAllow } from './webhook/egress-policy.js';

/** Executor settings, read from the environment once per process (12-factor). */
export interface ExecutorConfig {
  /** Between SIGTERM and SIGKILL when a step is cancelled or times out. */
  readonly killGraceMs: number;
  readonly egress: EgressPolicy;
  readonly claude: ClaudeConfig;
  /** Host paths shell and claude_code steps may read although the sandbox's private /tmp would hide them. */
  readonly sandboxReadable: readonly string[];
}

/** Throws a one-line error naming the variable when one is malformed. */
export function loadExecutorConfig(env: Readonly<Record<string, string | undefined>>): ExecutorConfig {
  return {
    killGraceMs: 5_000,
    egress: parseEgressAllow(env['FLOWLINE_EGRESS_ALLOW']),
    claude: loadClaudeConfig(env),
    sandboxReadable: parseSandboxReadable(env['FLOWLINE_SANDBOX_READABLE']),
  };
}
