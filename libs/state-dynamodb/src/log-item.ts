import type { Item } from './dynamodb-table.js';
import { ATTR, chunkOfLogSk, logSk, runPk } from './table-layout.js';

/** Text per log item: well under the item limit whatever else the item holds. */
export const MAX_CHUNK_BYTES = 256 * 1024;

export interface LogChunk {
  readonly stepKey: string;
  readonly attempt: number;
  readonly chunk: number;
  readonly text: string;
  /** When it was written (epoch ms): orders step keys by when they began logging. */
  readonly at: number;
}

/** `LOG#<step key>#<attempt>#<chunk>`: one append's text (or one piece of a long one). */
export function logItem(runId: string, chunk: LogChunk, writer: string, expiresAt: number): Item {
  return {
    [ATTR.pk]: { S: runPk(runId) },
    [ATTR.sk]: { S: logSk(chunk.stepKey, chunk.attempt, chunk.chunk) },
    [ATTR.stepKey]: { S: chunk.stepKey },
    [ATTR.attempt]: { N: String(chunk.attempt) },
    [ATTR.text]: { S: chunk.text },
    [ATTR.at]: { N: String(chunk.at) },
    [ATTR.writer]: { S: writer },
    [ATTR.expiresAt]: { N: String(expiresAt) },
  };
}

export function chunkFromItem(item: Item): LogChunk {
  return {
    stepKey: item[ATTR.stepKey]?.S ?? '',
    attempt: Number(item[ATTR.attempt]?.N ?? '0'),
    chunk: chunkOfLogSk(item[ATTR.sk]?.S ?? ''),
    text: item[ATTR.text]?.S ?? '',
    at: Number(item[ATTR.at]?.N ?? '0'),
  };
}

/** Splits text into pieces of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitText(text: string, maxBytes = MAX_CHUNK_BYTES): string[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return [text];
  const pieces: string[] = [];
  for (let start = 0; start < bytes.length;) {
    let end = Math.min(start + maxBytes, bytes.length);
    // Back up off continuation bytes (10xxxxxx) to the start of a character.
    while (end < bytes.length && end > start && (bytes[end]! & 0xc0) === 0x80) end--;
    pieces.push(bytes.toString('utf8', start, end));
    start = end;
  }
  return pieces;
}

export function headerFor(stepKey: string, attempt: number): string {
  return `==> ${stepKey} (attempt ${attempt}) <==\n`;
}

/**
 * A whole run's log as the file store gives it: each step key's log (see
 * `renderStepLog`), in the order the keys began logging, each ending in a
 * newline.
 */
export function renderRunLog(chunks: readonly LogChunk[]): string {
  const byKey = new Map<string, LogChunk[]>();
  for (const chunk of chunks) {
    const list = byKey.get(chunk.stepKey);
    if (list === undefined) byKey.set(chunk.stepKey, [chunk]);
    else list.push(chunk);
  }
  const began = (list: readonly LogChunk[]) => Math.min(...list.map((c) => c.at));
  const keys = [...byKey.entries()].sort(([a, x], [b, y]) => began(x) - began(y) || (a < b ? -1 : a > b ? 1 : 0));
  return keys
    .map(([, list]) => renderStepLog(list))
    .map((text) => (text.endsWith('\n') ? text : `${text}\n`))
    .join('');
}

/**
 * One step key's log, the same text as the file store's: the chunks in
 * (attempt, chunk) order, as the sort key gives them, with a `tail`-style
 * header whenever the attempt changes.
 */
export function renderStepLog(chunks: readonly LogChunk[]): string {
  let text = '';
  let attempt: number | undefined;
  for (const chunk of chunks) {
    if (chunk.attempt !== attempt) {
      text += `${text === '' || text.endsWith('\n') ? '' : '\n'}${headerFor(chunk.stepKey, chunk.attempt)}`;
      attempt = chunk.attempt;
    }
    text += chunk.text;
  }
  return text;
}
