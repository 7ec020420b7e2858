import { join } from 'node:path';

import {
  type RecordedRequest,
  type ScriptStep,
  type ScriptedBlock,
  type ScriptedModelServer,
  type ScriptedReply,
  startScriptedModelServer,
} from '@flowline/executors';

import type { EditPlanner } from '../support/file-editing-agent.js';

/**
 * A scripted model whose agents edit files that already exist, as a real
 * agent must: the CLI refuses to Write over a file the session has not Read
 * ("File has not been read yet"). Each session therefore takes three turns,
 * told apart by how many replies the conversation already holds: Read every
 * file `plan` names, then Write them, then a final answer. Replies are
 * computed from each request, so parallel agents (a fan-out) interleave
 * freely. Paths are relative to the workspace.
 *
 * (The shared startFileEditingAgent only writes, which suits new files; this
 * is its read-first sibling for changing the files a migration converts.)
 */
export async function startReadThenWriteAgent(
  workspace: () => string,
  plan: EditPlanner,
  maxTurns = 500,
): Promise<ScriptedModelServer> {
  const reply = (request: RecordedRequest): ScriptedReply => {
    const messages = messagesOf(request.body);
    const edits = plan(textOf(messages[0]));
    const turn = messages.filter((message) => message.role === 'assistant').length;
    const tool = (name: string, input: Record<string, unknown>): ScriptedBlock => ({ type: 'tool_use', name, input });
    if (edits.length === 0) return say('Nothing to change.');
    if (turn === 0) return { content: edits.map((edit) => tool('Read', { file_path: join(workspace(), edit.path) })) };
    if (turn === 1) {
      const writes = edits.map((edit) =>
        tool('Write', { file_path: join(workspace(), edit.path), content: edit.content }),
      );
      return { content: writes };
    }
    return say(messages.some(hasToolError) ? 'A file operation failed.' : 'Done: the files are written.');
  };
  return startScriptedModelServer(Array.from({ length: maxTurns }, (): ScriptStep => reply));
}

function say(text: string): ScriptedReply {
  return { content: [{ type: 'text', text }] };
}

interface Message {
  readonly role: string;
  readonly content: unknown;
}

interface Block {
  readonly type?: string;
  readonly text?: string;
  readonly is_error?: boolean;
}

function messagesOf(body: unknown): Message[] {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  return Array.isArray(messages) ? (messages as Message[]) : [];
}

function blocksOf(message: Message | undefined): Block[] {
  if (message === undefined) return [];
  if (typeof message.content === 'string') return [{ type: 'text', text: message.content }];
  return Array.isArray(message.content) ? (message.content as Block[]) : [];
}

/** The text of a message: for the first, the task (the step's prompt plus the CLI's reminders). */
function textOf(message: Message | undefined): string {
  return blocksOf(message)
    .flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : []))
    .join('\n');
}

function hasToolError(message: Message): boolean {
  return blocksOf(message).some((block) => block.type === 'tool_result' && block.is_error === true);
}
