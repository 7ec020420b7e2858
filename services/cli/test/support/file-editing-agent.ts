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
 * itself rather than from its position in the script. A request that carries
 * tool results gets the final answer; any other gets one `Write` per planned
 * edit (the real CLI performs them, through its real tools and permissions).
 */
export async function startFileEditingAgent(
  workspace: () => string,
  plan: EditPlanner,
  maxTurns = 500,
): Promise<ScriptedModelServer> {
  const reply = (request: RecordedRequest): ScriptedReply => {
    const messages = messagesOf(request.body);
    if (messages.some(hasToolResult)) return { content: [{ type: 'text', text: finalAnswer(messages) }] };
    const edits = plan(textOf(messages[0]));
    if (edits.length === 0) return { content: [{ type: 'text', text: 'Nothing to change.' }] };
    return {
      content: edits.map((edit) => ({
        type: 'tool_use' as const,
        name: 'Write',
        input: { file_path: isAbsolute(edit.path) ? edit.path : join(workspace(), edit.path), content: edit.content },
      })),
    };
  };
  return startScriptedModelServer(Array.from({ length: maxTurns }, (): ScriptStep => reply));
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

function hasToolResult(message: Message): boolean {
  return blocksOf(message).some((block) => block.type === 'tool_result');
}

/** Says whether the CLI reported a tool error, so a failed write is visible in the step's `result`. */
function finalAnswer(messages: readonly Message[]): string {
  const failed = messages.flatMap(blocksOf).some((block) => block.type === 'tool_result' && block.is_error === true);
  return failed ? 'A file write failed.' : 'Done: the files are written.';
}
