import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { FlowlineError, SecretMasker, errorMessage } from '@flowline/core';
import type { RenderedClaudeCode, StepOutcome } from '@flowline/engine';

import type { ExecutionContext, Executor } from '../executor.js';
import { stepEnvironment } from '../step-environment.js';
import { claudeArgs } from './claude-args.js';
import { claudeOutcome } from './claude-outcome.js';
import { runClaudeProcess } from './claude-process.js';
import { type EffectiveTools, effectiveTools } from './profiles.js';
import { projectMemory } from './project-memory.js';
import { type ClaudeResult, readStreamLine } from './stream-events.js';

/**
 * `claude_code`: the Claude Code CLI, headless, in the sandbox, in the
 * workspace (or `working_directory`), with the tools its security profile
 * (as the step narrowed it) allows. It needs the network to reach the model
 * endpoint. Outputs `result`, `num_turns`, `cost_usd`, `input_tokens`,
 * `output_tokens`, `session_id`, `permission_denials`; usage feeds the run's
 * budget. See docs/claude-code.md.
 */
export const claudeCodeExecutor: Executor<RenderedClaudeCode> = {
  type: 'claude_code',
  version: '1',
  async execute(step, context): Promise<StepOutcome> {
    const tools = toolsFor(step, context);
    if ('error' in tools) return { ok: false, error: tools.error };
    const cwd =
      step.workingDirectory === undefined ? context.workspace : join(context.workspace, step.workingDirectory);
    const { binary } = context.config.claude;
    const plan = context.sandbox.launch({
      argv: [binary, ...claudeArgs(step, tools, await systemPromptFile(step, context, cwd))],
      workspace: context.workspace,
      cwd,
      env: await claudeEnvironment(step, context),
      network: true,
      limits: step.sandbox,
      writable: [context.scratchDir],
      // The CLI may be installed under /tmp (a checkout there), which the sandbox's private /tmp hides.
      readable: [binary, ...context.config.sandboxReadable],
      ...(context.capture === undefined ? {} : { capture: context.capture }),
    });
    const masker = credentialMasker(context);
    let result: ClaudeResult | undefined;
    const exit = await runClaudeProcess(plan, {
      input: step.prompt,
      signal: context.signal,
      killGraceMs: context.config.killGraceMs,
      onLine: (line) => {
        const read = readStreamLine(line);
        result = read.result ?? result;
        if (read.progress !== undefined) context.log('stdout', masker.text(`${read.progress}\n`));
      },
      onStderr: (text) => context.log('stderr', masker.text(text)),
    });
    return masker.value(claudeOutcome(step, binary, exit, result));
  },
};

type ToolsOrError = EffectiveTools | { error: { code: string; message: string; retryable: false } };

function toolsFor(step: RenderedClaudeCode, context: ExecutionContext): ToolsOrError {
  const { profiles } = context.config.claude;
  const profile = profiles.get(step.profile);
  if (profile === undefined) {
    const known = [...profiles.keys()].join(', ');
    const message = `no security profile named ${step.profile} (known: ${known}); define it in FLOWLINE_PROFILES_FILE`;
    return { error: { code: 'unknown_profile', message, retryable: false } };
  }
  try {
    return effectiveTools(profile, step);
  } catch (error) {
    const code = error instanceof FlowlineError ? error.code : 'profile_widened';
    return { error: { code, message: errorMessage(error), retryable: false } };
  }
}

/**
 * The step's environment, then the operator's Claude settings (so a
 * workflow cannot point the operator's API key at another endpoint), then
 * a private HOME and temp directory: the CLI writes its state there, and
 * parallel steps must not share it. IS_SANDBOX tells the CLI, which refuses
 * bypassPermissions as root, that bubblewrap confines it; without a
 * sandbox the refusal stands.
 */
async function claudeEnvironment(step: RenderedClaudeCode, context: ExecutionContext): Promise<Record<string, string>> {
  const home = join(context.scratchDir, 'claude-home');
  const tmp = join(context.scratchDir, 'claude-tmp');
  await mkdir(home, { recursive: true });
  await mkdir(tmp, { recursive: true });
  return {
    ...stepEnvironment(context, step.env, { FLOWLINE_STEP_ID: step.id }),
    ...context.config.claude.env,
    HOME: home,
    CLAUDE_CODE_TMPDIR: tmp,
    ...(context.sandbox.kind === 'bwrap' ? { IS_SANDBOX: '1' } : {}),
  };
}

/**
 * The model credentials are in the CLI's environment, so the agent's tools
 * inherit them (the CLI does not scrub them without also forcing default
 * permissions): a test that prints its environment would show them. They
 * are the operator's, not workflow secrets the driver knows to mask, so
 * the executor masks them in what it logs and returns.
 */
function credentialMasker(context: ExecutionContext): SecretMasker {
  const { env } = context.config.claude;
  const values = [env['ANTHROPIC_API_KEY'], env['ANTHROPIC_AUTH_TOKEN']];
  return new SecretMasker(values.filter((value) => value !== undefined));
}

/** The workspace's CLAUDE.md files, then the step's `append_system_prompt`, in a scratch file. */
async function systemPromptFile(
  step: RenderedClaudeCode,
  context: ExecutionContext,
  cwd: string,
): Promise<string | undefined> {
  const parts = [await projectMemory(context.workspace, cwd), step.appendSystemPrompt];
  const text = parts.filter((part) => part !== undefined && part !== '').join('\n\n');
  if (text === '') return undefined;
  const file = join(context.scratchDir, 'append-system-prompt.md');
  await writeFile(file, text);
  return file;
}
