import { describe, expect, it } from '@jest/globals';

import { LineSplitter } from './claude-process.js';
import { readStreamLine } from './stream-events.js';

describe('readStreamLine', () => {
  it('reads the result event, counting cached input as input', () => {
    const line = JSON.stringify({
      type: 'result',
      subtype: 'success',
      is_error: false,
      api_error_status: null,
      num_turns: 3,
      result: 'done',
      session_id: 's-1',
      total_cost_usd: 0.25,
      usage: { input_tokens: 10, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: 7 },
      permission_denials: [{ tool_name: 'Write' }],
    });
    expect(readStreamLine(line)).toEqual({
      result: {
        subtype: 'success',
        isError: false,
        apiErrorStatus: undefined,
        result: 'done',
        numTurns: 3,
        sessionId: 's-1',
        costUsd: 0.25,
        inputTokens: 1110,
        outputTokens: 7,
        permissionDenials: [{ tool_name: 'Write' }],
        errors: [],
      },
      progress: 'claude: success after 3 turns, $0.25',
    });
  });

  it('turns messages into progress lines, tool inputs and results clipped to one line', () => {
    const assistant = {
      type: 'assistant',
      message: {
        content: [
          { type: 'thinking', thinking: 'hidden' },
          { type: 'text', text: 'Fixing it.' },
          { type: 'tool_use', name: 'Edit', input: { file_path: '/w/a.ts', old_string: 'a\nb' } },
        ],
      },
    };
    expect(readStreamLine(JSON.stringify(assistant)).progress).toBe(
      'assistant: Fixing it.\ntool: Edit {"file_path":"/w/a.ts","old_string":"a\\nb"}',
    );
    const user = {
      type: 'user',
      message: { content: [{ type: 'tool_result', is_error: true, content: 'denied\nreally'.padEnd(400, '!') }] },
    };
    const progress = readStreamLine(JSON.stringify(user)).progress ?? '';
    expect(progress).toMatch(/^ {2}↳ error: denied ⏎ really!+… \(402 chars\)$/);
  });

  it('names the session and mode at start, skips other events, and passes non-JSON lines through', () => {
    const init = { type: 'system', subtype: 'init', session_id: 's', model: 'm', permissionMode: 'default' };
    expect(readStreamLine(JSON.stringify(init)).progress).toBe('claude: session s, model m, permission mode default');
    expect(readStreamLine(JSON.stringify({ type: 'stream_event' }))).toEqual({});
    expect(readStreamLine('')).toEqual({});
    expect(readStreamLine('Warning: something')).toEqual({ progress: 'Warning: something' });
  });
});

describe('LineSplitter', () => {
  it('decodes whole lines even when a chunk ends inside a UTF-8 character', () => {
    const bytes = Buffer.from('{"a":"ü😀"}\n{"b":1}\ntail', 'utf8');
    const splitter = new LineSplitter();
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i++) lines.push(...splitter.push(bytes.subarray(i, i + 1)));
    lines.push(...splitter.end());
    expect(lines).toEqual(['{"a":"ü😀"}', '{"b":1}', 'tail']);
    expect(splitter.end()).toEqual([]);
  });
});
