import { readFile, readdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { withFileLock } from './file-lock.js';
import { deadPid } from './test-support/dead-pid.js';
import { tempDirs } from './test-support/temp-dirs.js';

const newDir = tempDirs('lock');
const owner = (pid: number, host = hostname(), token = 'earlier') => JSON.stringify({ pid, host, token, at: 0 });

describe('withFileLock', () => {
  it('holds the lock file while the work runs and removes it after', async () => {
    const lock = join(await newDir(), '.lock');
    const seen = await withFileLock(lock, 1000, () => readFile(lock, 'utf8'));
    expect(JSON.parse(seen)).toMatchObject({ pid: process.pid, host: hostname() });
    expect(await readdir(join(lock, '..'))).toEqual([]);
  });

  it('removes the lock when the work throws', async () => {
    const dir = await newDir();
    await expect(withFileLock(join(dir, '.lock'), 1000, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('lets one holder in at a time', async () => {
    const lock = join(await newDir(), '.lock');
    let inside = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++inside);
      await readFile(lock); // a real await while holding it
      inside--;
    };
    await Promise.all(Array.from({ length: 8 }, () => withFileLock(lock, 5000, work)));
    expect(most).toBe(1);
  });

  it('takes over a lock whose process is dead', async () => {
    const lock = join(await newDir(), '.lock');
    await writeFile(lock, owner(deadPid()));
    expect(await withFileLock(lock, 1000, () => Promise.resolve('ran'))).toBe('ran');
  });

  it('takes over a lock left by an earlier process with this pid (a restarted container)', async () => {
    const lock = join(await newDir(), '.lock');
    await writeFile(lock, owner(process.pid, hostname(), 'another-incarnation'));
    expect(await withFileLock(lock, 1000, () => Promise.resolve('ran'))).toBe('ran');
  });

  it('takes over a lock file with no readable owner (a crash before it was flushed)', async () => {
    const lock = join(await newDir(), '.lock');
    await writeFile(lock, '');
    expect(await withFileLock(lock, 1000, () => Promise.resolve('ran'))).toBe('ran');
  });

  it('clears a break guard left by a dead process', async () => {
    const lock = join(await newDir(), '.lock');
    await writeFile(lock, owner(deadPid()));
    await writeFile(`${lock}.break`, owner(deadPid()));
    expect(await withFileLock(lock, 1000, () => Promise.resolve('ran'))).toBe('ran');
  });

  it('waits for a live holder, then fails with a retryable state_locked naming it', async () => {
    const lock = join(await newDir(), '.lock');
    const held = owner(process.ppid);
    await writeFile(lock, held);
    const error = await withFileLock(lock, 30, () => Promise.resolve('ran')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'state_locked', retryable: true });
    expect(String((error as Error).message)).toContain(`process ${process.ppid}`);
    expect(await readFile(lock, 'utf8')).toBe(held);
  });

  it('never takes over a lock held on another host', async () => {
    const lock = join(await newDir(), '.lock');
    await writeFile(lock, owner(deadPid(), 'some-other-host'));
    await expect(withFileLock(lock, 30, () => Promise.resolve('ran'))).rejects.toMatchObject({
      code: 'state_locked',
    });
  });
});
