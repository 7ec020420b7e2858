import { afterEach, describe, expect, it } from '@jest/globals';

import { type ScriptStep, type ScriptedModelServer, startScriptedModelServer } from './scripted-model-server.js';

const servers: ScriptedModelServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serve(script: ScriptStep[]): Promise<ScriptedModelServer> {
  const server = await startScriptedModelServer(script);
  servers.push(server);
  return server;
}

function ask(server: ScriptedModelServer, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/v1/messages?beta=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
    body: JSON.stringify({
      model: 'claude-test',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
      ...body,
    }),
  });
}

/** The `data:` objects of an SSE body, in order. */
function events(text: string): { type: string; [key: string]: unknown }[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [eventLine, dataLine] = chunk.split('\n');
      const data = JSON.parse(dataLine!.replace(/^data: /, '')) as { type: string };
      expect(eventLine).toBe(`event: ${data.type}`);
      return data;
    });
}

describe('scripted model server', () => {
  it('answers a non-streaming request with a whole message, tool_use → stop_reason tool_use', async () => {
    const server = await serve([
      {
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', name: 'Read', input: { file_path: '/a' } },
        ],
      },
    ]);
    const response = await ask(server, {});

    expect(response.status).toBe(200);
    const message = (await response.json()) as Record<string, unknown>;
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'toolu_1_1', name: 'Read', input: { file_path: '/a' } },
      ],
    });
    const usage = message['usage'] as { input_tokens: number; output_tokens: number };
    expect(usage.input_tokens).toBeGreaterThan(10);
    expect(usage.output_tokens).toBeGreaterThan(5);
  });

  it('streams the Messages API events in order, in partial deltas that join to the reply', async () => {
    const server = await serve([
      { content: [{ type: 'text', text: 'Hello there, world' }], usage: { input_tokens: 7, output_tokens: 3 } },
    ]);
    const response = await ask(server, { stream: true });

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const all = events(await response.text());
    expect(all.map((event) => event.type)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const text = all
      .filter((event) => event.type === 'content_block_delta')
      .map((event) => (event['delta'] as { text: string }).text)
      .join('');
    expect(text).toBe('Hello there, world');
    expect(all[0]).toMatchObject({ message: { usage: { input_tokens: 7 }, content: [] } });
    expect(all[6]).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 3 } });
  });

  it('streams tool input as JSON fragments', async () => {
    const input = { file_path: '/w/ü.txt', content: 'x😀y' };
    const server = await serve([{ content: [{ type: 'tool_use', id: 'toolu_x', name: 'Write', input }] }]);
    const all = events(await (await ask(server, { stream: true })).text());

    expect(all[2]).toMatchObject({ content_block: { type: 'tool_use', id: 'toolu_x', name: 'Write', input: {} } });
    const json = all
      .filter((event) => event.type === 'content_block_delta')
      .map((event) => (event['delta'] as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual(input);
    expect(all.find((event) => event.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  });

  it('answers a scripted error with its status, Anthropic error body and retry-after', async () => {
    const server = await serve([
      { status: 529, error: { type: 'overloaded_error', message: 'Overloaded' }, retryAfterSeconds: 3 },
    ]);
    const response = await ask(server, { stream: true });

    expect(response.status).toBe(529);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
  });

  it('fails a request past the end of the script with a 400 naming the turn', async () => {
    const server = await serve([{ content: [{ type: 'text', text: 'one' }] }]);
    await ask(server, {});
    const response = await ask(server, {});

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', message: /no turn 2/ } });
  });

  it('records every request: bodies, the turn consumed, probes and unknown paths', async () => {
    const server = await serve([(request) => ({ content: [{ type: 'text', text: `turn ${request.turn}` }] })]);
    expect((await fetch(server.url, { method: 'HEAD' })).status).toBe(200);
    const counted = await fetch(`${server.url}/v1/messages/count_tokens`, { method: 'POST', body: '{"messages":[]}' });
    expect(await counted.json()).toEqual({ input_tokens: 4 });
    expect((await fetch(`${server.url}/v1/models`)).status).toBe(404);
    const reply = (await (await ask(server, { marker: 'M1' })).json()) as { content: { text: string }[] };

    expect(reply.content[0]?.text).toBe('turn 0');
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'HEAD /',
      'POST /v1/messages/count_tokens',
      'GET /v1/models',
      'POST /v1/messages?beta=true',
    ]);
    expect(server.modelRequests).toHaveLength(1);
    expect(server.modelRequests[0]).toMatchObject({ turn: 0, body: { marker: 'M1' }, headers: { 'x-api-key': 'k' } });
  });
});
