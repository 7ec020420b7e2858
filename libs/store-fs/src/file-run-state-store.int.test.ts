import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from '@jest/globals';
import type { RunRecord } from '@flowline/ports';

import { newRun } from '../../ports/src/test-support/fixtures.js';
import { FileRunStateStore } from './file-run-state-store.js';
import { tempDirs } from './test-support/temp-dirs.js';

const newDir = tempDirs('state-int');
const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Another process with its own FileRunStateStore on `stateDir`, driven over stdin. */
async function startChild(stateDir: string, runId: string) {
  const script = fileURLToPath(new URL('./test-support/store-child.mjs', import.meta.url));
  const register = new URL('./test-support/register-swc.mjs', import.meta.url).href;
  const child = spawn(process.execPath, [
    '--conditions=@flowline/source',
    '--import',
    register,
    script,
    stateDir,
    runId,
  ]);
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: AsyncIterator<string> = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error(`child exited: ${stderr}`);
    return line.value;
  };
  expect(await next()).toBe('ready');
  return { child, next, send: (line: string) => child.stdin.write(`${line}\n`) };
}

describe('FileRunStateStore across processes', () => {
  it('of two processes updating from the same version, exactly one wins, every round', async () => {
    const stateDir = await newDir();
    const store = new FileRunStateStore(stateDir);
    let current: RunRecord = await store.create(newRun());
    const other = await startChild(stateDir, current.runId);
    const rounds = 25;
    for (let round = 0; round < rounds; round++) {
      other.send(`update ${current.version}`);
      const [ours, theirs] = await Promise.allSettled([store.update(current, { owner: 'parent' }), other.next()]);
      if (theirs.status === 'rejected') throw theirs.reason;
      expect(['won', 'lost']).toContain(theirs.value);
      expect(Number(ours.status === 'fulfilled') + Number(theirs.value === 'won')).toBe(1);
      current = (await store.get(current.runId))!;
    }
    expect(current.version).toBe(1 + rounds);
  }, 30_000);

  it('takes over the lock of a process killed with SIGKILL while holding it', async () => {
    const stateDir = await newDir();
    const store = new FileRunStateStore(stateDir, { lockTimeoutMs: 5_000 });
    const record = await store.create(newRun());
    const other = await startChild(stateDir, record.runId);
    other.send('hold-lock');
    expect(await other.next()).toBe('locked');
    other.child.kill('SIGKILL');
    await once(other.child, 'exit');
    expect((await store.update(record, { status: 'failed' })).version).toBe(2);
  }, 30_000);
});
