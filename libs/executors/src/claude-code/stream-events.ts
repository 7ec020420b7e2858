/**
 * The CLI's `--output-format stream-json --verbose` output: one JSON event
 * a line (`system` init, `assistant` and `user` messages as they happen,
 * then one `result`). We keep the result and turn the rest into readable
 * progress lines for the attempt's log.
 */

/** The final `result` event: the same object `--output-format json` prints. */
export interface ClaudeResult {
  readonly subtype: string;
  readonly isError: boolean;
  /** The HTTP status of the model call that failed, when one did. */
  readonly apiErrorStatus: number | undefined;
  readonly result: string;
  readonly numTurns: number;
  readonly sessionId: string;
  readonly costUsd: number;
  /** Every input token the model read: uncached, written to cache and read from cache. */
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly permissionDenials: readonly unknown[];
  /** The CLI's own error lines (`Reached maximum number of turns (3)`). */
  readonly errors: readonly string[];
}

type Json = Record<string, unknown>;

/** Parses one stdout line: the result, a progress line for the log, or nothing worth showing. */
export function readStreamLine(line: string): { result?: ClaudeResult; progress?: string } {
  if (line.trim() === '') return {};
  let event: unknown;
  try {
    event = JSON.parse(line) as unknown;
  } catch {
    return { progress: line };
  }
  if (!isJson(event)) return { progress: line };
  if (event['type'] === 'result') return { result: resultOf(event), progress: resultLine(event) };
  const progress = progressOf(event);
  return progress === undefined ? {} : { progress };
}

function resultOf(event: Json): ClaudeResult {
  const usage = isJson(event['usage']) ? event['usage'] : {};
  const status = event['api_error_status'];
  return {
    subtype: text(event['subtype']),
    isError: event['is_error'] === true,
    apiErrorStatus: typeof status === 'number' ? status : undefined,
    result: text(event['result']),
    numTurns: count(event['num_turns']),
    sessionId: text(event['session_id']),
    costUsd: count(event['total_cost_usd']),
    inputTokens:
      count(usage['input_tokens']) +
      count(usage['cache_creation_input_tokens']) +
      count(usage['cache_read_input_tokens']),
    outputTokens: count(usage['output_tokens']),
    permissionDenials: Array.isArray(event['permission_denials']) ? event['permission_denials'] : [],
    errors: Array.isArray(event['errors']) ? event['errors'].map(text) : [],
  };
}

function progressOf(event: Json): string | undefined {
  const message = isJson(event['message']) ? event['message'] : {};
  const content = Array.isArray(message['content']) ? message['content'].filter(isJson) : [];
  switch (event['type']) {
    case 'system':
      return event['subtype'] === 'init'
        ? `claude: session ${text(event['session_id'])}, model ${text(event['model'])}, ` +
            `permission mode ${text(event['permissionMode'])}`
        : undefined;
    case 'assistant':
      return joined(content.map(assistantBlockLine));
    case 'user':
      return joined(content.map(toolResultLine));
    default:
      return undefined;
  }
}

function assistantBlockLine(block: Json): string | undefined {
  if (block['type'] === 'text') return `assistant: ${shortened(text(block['text']), 2000)}`;
  if (block['type'] === 'tool_use') return `tool: ${text(block['name'])} ${clip(JSON.stringify(block['input']), 300)}`;
  return undefined;
}

function toolResultLine(block: Json): string | undefined {
  if (block['type'] !== 'tool_result') return undefined;
  const body = typeof block['content'] === 'string' ? block['content'] : JSON.stringify(block['content']);
  return `  ↳ ${block['is_error'] === true ? 'error: ' : ''}${clip(body, 300)}`;
}

function resultLine(event: Json): string {
  return `claude: ${text(event['subtype'])} after ${count(event['num_turns'])} turns, $${count(event['total_cost_usd'])}`;
}

function joined(lines: (string | undefined)[]): string | undefined {
  const kept = lines.filter((line) => line !== undefined);
  return kept.length === 0 ? undefined : kept.join('\n');
}

/** On one line: tool inputs and results can be whole files. */
function clip(value: string, max: number): string {
  return shortened(value.replace(/\s*\n\s*/g, ' ⏎ '), max);
}

function shortened(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}… (${value.length} chars)`;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
