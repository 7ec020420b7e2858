import type { RenderedClaudeCode } from '@flowline/engine';

import type { EffectiveTools } from './profiles.js';

/**
 * The CLI's arguments for one step, headless. The prompt goes to stdin (an
 * argument is capped at 128 KiB on Linux), the system prompt addition to a
 * file for the same reason.
 *
 * - `stream-json --verbose`: one event a line, so the log shows progress as
 *   it happens; the last line is the same result object `json` prints.
 * - `--setting-sources ""`: no user, project or local settings. The profile
 *   is the whole permission policy; a repository's `.claude/settings.json`
 *   could otherwise add permission rules or hooks (which run commands).
 * - `--strict-mcp-config`: no MCP servers from the workspace's `.mcp.json`.
 * - `--no-session-persistence`: the CLI's HOME is thrown away anyway.
 *
 * The tool lists come last: they are variadic, one rule an argument, as
 * rules may hold spaces (`Bash(npm test:*)`).
 */
export function claudeArgs(
  step: RenderedClaudeCode,
  tools: EffectiveTools,
  systemPromptFile: string | undefined,
): string[] {
  const args = ['--print', '--output-format', 'stream-json', '--verbose'];
  args.push('--setting-sources', '', '--strict-mcp-config', '--no-session-persistence');
  args.push('--permission-mode', tools.permissionMode);
  if (step.maxTurns !== undefined) args.push('--max-turns', String(step.maxTurns));
  if (step.model !== undefined) args.push('--model', step.model);
  if (systemPromptFile !== undefined) args.push('--append-system-prompt-file', systemPromptFile);
  if (tools.allowedTools.length > 0) args.push('--allowedTools', ...tools.allowedTools);
  if (tools.disallowedTools.length > 0) args.push('--disallowedTools', ...tools.disallowedTools);
  return args;
}
