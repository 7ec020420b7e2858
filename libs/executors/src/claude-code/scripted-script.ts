/** The scripted model server's vocabulary: the turns of a script and the requests it records. */

/** A block the scripted model answers with. A tool_use without `id` gets `toolu_<turn>_<index>`. */
export type ScriptedBlock =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'tool_use';
      readonly name: string;
      readonly input: Readonly<Record<string, unknown>>;
      readonly id?: string;
    };

export interface ScriptedUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
}

/** One assistant message. `stop_reason` is `tool_use` when a block is a tool_use, else `end_turn`. */
export interface ScriptedReply {
  readonly content: readonly ScriptedBlock[];
  /** Overrides the estimate (input ≈ request bytes / 4, output ≈ reply bytes / 4). */
  readonly usage?: ScriptedUsage;
}

/** An API error: the HTTP status and the Anthropic error body `{type:'error', error:{type, message}}`. */
export interface ScriptedError {
  readonly status: number;
  readonly error: { readonly type: string; readonly message: string };
  /** Sent as `retry-after` (seconds), as the API does on 429 and 529. */
  readonly retryAfterSeconds?: number;
}

export type ScriptedTurn = ScriptedReply | ScriptedError;

/** A request the server received, in order of arrival. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/messages?beta=true`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  readonly body: unknown;
  /** Index of the scripted turn this request consumed (model calls only). */
  readonly turn?: number;
}

/**
 * A turn, or a function that computes it from the request (a replay can
 * echo paths from the prompt; a test can hold a turn back until it has
 * cancelled the attempt).
 */
export type ScriptStep = ScriptedTurn | ((request: RecordedRequest) => ScriptedTurn | Promise<ScriptedTurn>);
