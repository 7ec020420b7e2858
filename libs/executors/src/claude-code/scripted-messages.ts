import type { ServerResponse } from 'node:http';

import type { RecordedRequest, ScriptedReply } from './scripted-script.js';

type ContentBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly id: string; readonly name: string; readonly input: unknown };

/** A Messages API response body (`type: 'message'`). */
export interface AssistantMessage {
  readonly id: string;
  readonly type: 'message';
  readonly role: 'assistant';
  readonly model: string;
  readonly content: readonly ContentBlock[];
  readonly stop_reason: 'end_turn' | 'tool_use';
  readonly stop_sequence: null;
  readonly usage: {
    readonly input_tokens: number;
    readonly output_tokens: number;
    readonly cache_creation_input_tokens: number;
    readonly cache_read_input_tokens: number;
  };
}

/** The reply as the API would send it: ids, stop reason and usage filled in. */
export function assistantMessage(
  reply: ScriptedReply,
  request: RecordedRequest,
  inputTokens: number,
): AssistantMessage {
  const turn = (request.turn ?? 0) + 1;
  const content = reply.content.map((block, index): ContentBlock => {
    if (block.type === 'text') return { type: 'text', text: block.text };
    return { type: 'tool_use', id: block.id ?? `toolu_${turn}_${index}`, name: block.name, input: block.input };
  });
  const usage = reply.usage ?? {
    input_tokens: inputTokens,
    output_tokens: Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(content)) / 4)),
  };
  return {
    id: `msg_scripted_${turn}`,
    type: 'message',
    role: 'assistant',
    model: modelOf(request.body),
    content,
    stop_reason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { ...usage, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function modelOf(body: unknown): string {
  const model = typeof body === 'object' && body !== null && 'model' in body ? body.model : undefined;
  return typeof model === 'string' ? model : 'claude-scripted';
}

/**
 * Streams a message the way the API does: message_start (empty content),
 * a ping, then per block content_block_start / deltas / content_block_stop,
 * then message_delta (stop reason, output tokens) and message_stop. Text and
 * tool input arrive in two deltas each, so clients must join partial chunks.
 */
export function writeMessageStream(res: ServerResponse, message: AssistantMessage): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': message.id });
  const send = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  const { usage } = message;
  send('message_start', {
    message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  });
  send('ping', {});
  message.content.forEach((block, index) => {
    send('content_block_start', { index, content_block: emptied(block) });
    for (const delta of deltasOf(block)) send('content_block_delta', { index, delta });
    send('content_block_stop', { index });
  });
  send('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: usage.output_tokens },
  });
  send('message_stop', {});
  res.end();
}

function emptied(block: ContentBlock): ContentBlock {
  return block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} };
}

function deltasOf(block: ContentBlock): Record<string, unknown>[] {
  if (block.type === 'text') return halves(block.text).map((text) => ({ type: 'text_delta', text }));
  return halves(JSON.stringify(block.input)).map((json) => ({ type: 'input_json_delta', partial_json: json }));
}

function halves(text: string): string[] {
  let middle = Math.floor(text.length / 2);
  // Never between the halves of a surrogate pair.
  if (/[\uDC00-\uDFFF]/.test(text.charAt(middle))) middle--;
  return [text.slice(0, middle), text.slice(middle)];
}

/** The tool_result blocks of a model request's last message: what the CLI fed back after running tools. */
export function toolResultsOf(
  request: RecordedRequest,
): { tool_use_id: string; content: unknown; is_error?: boolean }[] {
  const body = request.body as { messages?: { role: string; content: unknown }[] } | undefined;
  const last = body?.messages?.at(-1);
  if (last === undefined || !Array.isArray(last.content)) return [];
  return (last.content as { type?: string }[]).filter((block) => block.type === 'tool_result') as {
    tool_use_id: string;
    content: unknown;
    is_error?: boolean;
  }[];
}
