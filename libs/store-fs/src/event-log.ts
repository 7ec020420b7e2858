import { type FileHandle, open } from 'node:fs/promises';

import { FlowlineError } from '@flowline/core';
import type { EngineEvent } from '@flowline/engine';
import { type StoredEvent, VersionConflictError } from '@flowline/ports';

import { writeAll } from './atomic-file.js';
import { hasCode, readTextIfExists } from './fs-helpers.js';
import { runNotFound } from './state-layout.js';

/**
 * A run's event log: `events.jsonl`, one `{"seq":n,"event":{…}}` line per
 * event, seq from 1 without gaps. Lines are only ever added at the end. A
 * process killed mid-append leaves a torn last line (no newline, or bytes
 * that do not parse): readers ignore it and the next append cuts it off.
 * Callers hold the run's lock around `appendEvents`.
 */
const NEWLINE = 0x0a;
const CHUNK = 64 * 1024;

/** Appends `events` after `afterSeq`, which must be the last seq in the log; returns the new last seq. */
export async function appendEvents(
  path: string,
  runId: string,
  afterSeq: number,
  events: readonly EngineEvent[],
): Promise<number> {
  const handle = await openLog(path, runId);
  try {
    const end = await findEnd(handle);
    if (end.lastSeq !== afterSeq) throw new VersionConflictError(runId, afterSeq, end.lastSeq);
    if ((await handle.stat()).size !== end.size) await handle.truncate(end.size);
    if (events.length === 0) return afterSeq;
    const lines = events.map((event, i) => `${JSON.stringify({ seq: afterSeq + i + 1, event })}\n`);
    await writeAll(handle, Buffer.from(lines.join(''), 'utf8'), end.size);
    await handle.sync();
    return afterSeq + events.length;
  } finally {
    await handle.close();
  }
}

/** Every complete event in order; an unknown run has none. */
export async function readEvents(path: string): Promise<StoredEvent[]> {
  const lines = ((await readTextIfExists(path)) ?? '').split('\n');
  lines.pop(); // after the last newline: empty, or a torn line
  const events = lines.map(parseLine);
  const valid = events.findIndex((e) => e === undefined);
  const count = valid < 0 ? events.length : valid;
  // Bad lines are a torn tail only if nothing good follows them.
  if (events.slice(count).some((e) => e !== undefined)) throw corrupt(path, count + 1, 'does not parse');
  const stored = events.slice(0, count) as StoredEvent[];
  const gap = stored.findIndex((e, i) => e.seq !== i + 1);
  if (gap >= 0) throw corrupt(path, gap + 1, `has seq ${stored[gap]?.seq}, expected ${gap + 1}`);
  return stored;
}

async function openLog(path: string, runId: string): Promise<FileHandle> {
  try {
    return await open(path, 'r+');
  } catch (error) {
    if (!hasCode(error, 'ENOENT')) throw error;
    throw runNotFound(runId);
  }
}

/** The byte length of the log up to its last good line, and that line's seq (0 for none). */
async function findEnd(handle: FileHandle): Promise<{ readonly size: number; readonly lastSeq: number }> {
  let end = (await handle.stat()).size;
  for (;;) {
    const lineEnd = await lastNewlineBefore(handle, end);
    if (lineEnd < 0) return { size: 0, lastSeq: 0 };
    const lineStart = (await lastNewlineBefore(handle, lineEnd)) + 1;
    const event = parseLine(await readRange(handle, lineStart, lineEnd));
    if (event !== undefined) return { size: lineEnd + 1, lastSeq: event.seq };
    end = lineEnd; // garbage after a crash: look one line further back
  }
}

/** The offset of the last newline before `end`, reading backwards a chunk at a time; -1 when none. */
async function lastNewlineBefore(handle: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(end, 1)));
  for (let stop = end; stop > 0;) {
    const start = Math.max(0, stop - buffer.length);
    const { bytesRead } = await handle.read(buffer, 0, stop - start, start);
    const at = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (at >= 0) return start + at;
    stop = start;
  }
  return -1;
}

async function readRange(handle: FileHandle, start: number, end: number): Promise<string> {
  const buffer = Buffer.alloc(end - start);
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
  return buffer.toString('utf8', 0, bytesRead);
}

function parseLine(line: string): StoredEvent | undefined {
  try {
    const value = JSON.parse(line) as Partial<StoredEvent> | null;
    const ok = Number.isSafeInteger(value?.seq) && typeof value?.event === 'object' && value.event !== null;
    return ok ? (value as StoredEvent) : undefined;
  } catch {
    return undefined;
  }
}

function corrupt(path: string, line: number, problem: string): FlowlineError {
  return new FlowlineError('state_corrupt', `${path}: line ${line} ${problem}; the event log is damaged`, {
    details: { path, line },
  });
}
