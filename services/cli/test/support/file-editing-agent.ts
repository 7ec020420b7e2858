import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

import {
  type RecordedRequest,
  type ScriptStep,
  type ScriptedModelServer,
  type ScriptedReply,
  startScriptedModelServer,
} from '@flowline/executors';

/** A file the scripted agent writes: relative to the workspace, or absolute. */
export interface AgentEdit {
  readonly path: string;
  readonly content: string;
}

/**
 * Decides the agent's edits from the task it was given (the text of the
 * first user message: the step's rendered prompt plus the CLI's reminders).
 * Return no edits to have the agent answer without touching anything.
 */
export type EditPlanner = (prompt: string) => readonly AgentEdit[];

/**
 * A scripted model for end-to-end runs whose agent steps fan out: requests
 * from parallel CLIs interleave, so each reply is computed from the request
 * itself rather than from its position in the script. The agent works as a
 * careful one does, and as the real CLI insists: it `Read`s each file it is
 * about to replace (the CLI refuses to overwrite a file not read first), then
 * `Write`s every planned edit, then answers. The real CLI performs the tools,
 * through its real permissions and the sandbox.
 */
export async function startFileEditingAgent(
  workspace: () => string,
  plan: EditPlanner,
  maxTurns = 500,
): Promise<ScriptedModelServer> {
  const reply = (request: RecordedRequest): ScriptedReply => {
    const messages = messagesOf(request.body);
    const done = toolsUsed(messages);
    if (done.has('Write')) return { content: [{ type: 'text', text: finalAnswer(messages) }] };
    const edits = plan(textOf(messages[0])).map((edit) => ({
      ...edit,
      path: isAbsolute(edit.path) ? edit.path : join(workspace(), edit.path),
    }));
    if (edits.length === 0) return { content: [{ type: 'text', text: 'Nothing to change.' }] };
    const existing = edits.filter((edit) => existsSync(edit.path));
    if (!done.has('Read') && existing.length > 0) {
      return { content: existing.map((edit) => toolUse('Read', { file_path: edit.path })) };
    }
    return { content: edits.map((edit) => toolUse('Write', { file_path: edit.path, content: edit.content })) };
  };
  return startScriptedModelServer(Array.from({ length: maxTurns }, (): ScriptStep => reply));
}

function toolUse(name: string, input: Record<string, unknown>) {
  return { type: 'tool_use' as const, name, input };
}

/** The tools the agent already called in this conversation (its earlier assistant turns). */
function toolsUsed(messages: readonly Message[]): Set<string> {
  const names = messages
    .filter((message) => message.role === 'assistant')
    .flatMap(blocksOf)
    .filter((block) => block.type === 'tool_use')
    .map((block) => (block as { name?: string }).name ?? '');
  return new Set(names);
}

interface Message {
  readonly role: string;
  readonly content: unknown;
}

function messagesOf(body: unknown): Message[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? (messages as Message[]) : [];
}

function blocksOf(message: Message | undefined): { type?: string; text?: string; is_error?: boolean }[] {
  if (message === undefined) return [];
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return Array.isArray(message.content) ? (message.content as { type?: string; text?: string }[]) : [];
}

function textOf(message: Message | undefined): string {
  return blocksOf(message)
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text)
    .join('\n');
}

/** Says whether the CLI reported a tool error, so a failed write is visible in the step's `result`. */
function finalAnswer(messages: readonly Message[]): string {
  const failed = messages.flatMap(blocksOf).some((block) => block.type === 'tool_result' && block.is_error === true);
  return failed ? 'A file write failed.' : 'Done: the files are written.';
}
