import { type TestContext, testContext } from '../../test-support/context.js';
import { loadClaudeConfig } from '../claude-config.js';
import type { ScriptedModelServer } from '../scripted-model-server.js';

/**
 * A test context whose CLI talks to the scripted server. The CLI makes no
 * retries of its own (FLOWLINE_CLAUDE_MAX_RETRIES=0): a scripted error is
 * reported at once.
 */
export async function claudeContext(
  server: ScriptedModelServer,
  options: { secrets?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<TestContext> {
  const claude = loadClaudeConfig({
    ANTHROPIC_BASE_URL: server.url,
    ANTHROPIC_API_KEY: 'sk-ant-scripted',
    FLOWLINE_CLAUDE_MAX_RETRIES: '0',
    ...options.env,
  });
  return testContext({
    config: { claude, killGraceMs: 2_000 },
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
}
