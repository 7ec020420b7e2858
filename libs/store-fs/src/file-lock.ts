import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

import { FlowlineError } from '@flowline/core';

import { createFile } from './atomic-file.js';
import { hasCode, readTextIfExists, removeQuietly } from './fs-helpers.js';

/** Who holds a lock: written into the lock file when it is created. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** This process's incarnation: after a restart a recycled pid comes with another token. */
  readonly token: string;
  readonly at: number;
}

const TOKEN = randomBytes(8).toString('hex');
const HOST = hostname();
const MAX_POLL_MS = 50;

/**
 * Runs `work` holding the lock file at `path`, across processes. The lock
 * is a file created with link() (create-only, and never seen half-written);
 * a lock whose owner is gone — a dead pid on this host, or this pid from an
 * earlier incarnation — is taken over. Waiting on a live owner polls with
 * backoff up to `timeoutMs`, then fails with a retryable `state_locked`.
 */
export async function withFileLock<T>(path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  await acquire(path, Date.now() + timeoutMs);
  try {
    return await work();
  } finally {
    await removeQuietly(path);
  }
}

async function acquire(path: string, deadline: number): Promise<void> {
  const mine = JSON.stringify({ pid: process.pid, host: HOST, token: TOKEN, at: Date.now() } satisfies LockOwner);
  for (let pollMs = 1; ; pollMs = Math.min(pollMs * 2, MAX_POLL_MS)) {
    if (await createFile(path, mine, { durable: false })) return;
    const held = await readTextIfExists(path);
    if (held === undefined) continue; // released between our two calls: try again at once
    if (isStale(held) && (await breakLock(path, held, mine))) continue;
    if (Date.now() >= deadline) throw lockedError(path, held);
    await delay(pollMs);
  }
}

/**
 * Removes the stale lock whose content is `stale`. Two processes breaking
 * the same lock must not remove the one a third has just taken, so breaking
 * happens under a guard file, and only a lock still holding `stale` goes.
 * Returns false when another process is breaking it (wait, then look again).
 */
async function breakLock(path: string, stale: string, mine: string): Promise<boolean> {
  const guard = `${path}.break`;
  if (!(await createFile(guard, mine, { durable: false }))) {
    const breaker = await readTextIfExists(guard);
    // A breaker that died mid-break leaves its guard; nothing else removes it.
    if (breaker !== undefined && isStale(breaker)) await removeQuietly(guard);
    return false;
  }
  try {
    if ((await readTextIfExists(path)) === stale) await removeQuietly(path);
    return true;
  } finally {
    await removeQuietly(guard);
  }
}

/** Whether the owner recorded in a lock file can no longer be holding it. */
function isStale(text: string): boolean {
  const owner = parseOwner(text);
  // Unreadable content never comes from a live holder (locks appear whole), only from a crash.
  if (owner === undefined) return true;
  // Another machine's process ids mean nothing here: wait for it, or the timeout.
  if (owner.host !== HOST) return false;
  if (owner.pid === process.pid) return owner.token !== TOKEN;
  return !isAlive(owner.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !hasCode(error, 'ESRCH'); // EPERM: alive, but someone else's
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner> | null;
    const valid = typeof value?.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string';
    return valid ? (value as LockOwner) : undefined;
  } catch {
    return undefined;
  }
}

function lockedError(path: string, held: string): FlowlineError {
  const owner = parseOwner(held);
  const who = owner === undefined ? 'another process' : `process ${owner.pid} on ${owner.host}`;
  return new FlowlineError(
    'state_locked',
    `${path} is held by ${who}; if no Flowline process is using this run, delete that file`,
    { retryable: true, details: { path, ...(owner ?? {}) } },
  );
}
