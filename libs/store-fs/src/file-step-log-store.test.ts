import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { FileStepLogStore } from './file-step-log-store.js';
import { tempDirs } from './test-support/temp-dirs.js';

const newDir = tempDirs('logs');

describe('FileStepLogStore', () => {
  it('keeps one file per step key, with a header whenever the attempt changes', async () => {
    const stateDir = await newDir();
    const logs = new FileStepLogStore(stateDir);
    await logs.append('r1', 'build', 1, 'compiling\n');
    await logs.append('r1', 'build', 1, 'error TS2322\n');
    await logs.append('r1', 'build', 2, 'compiling\nok\n');
    const expected = '==> build (attempt 1) <==\ncompiling\nerror TS2322\n==> build (attempt 2) <==\ncompiling\nok\n';
    expect(await logs.read('r1', 'build')).toBe(expected);
    expect(await readFile(join(stateDir, 'runs', 'r1', 'logs', 'build.log'), 'utf8')).toBe(expected);
  });

  it('encodes fan-out keys for the file system', async () => {
    const stateDir = await newDir();
    const logs = new FileStepLogStore(stateDir);
    await logs.append('r1', 'each[3]', 1, 'item three\n');
    expect(await readdir(join(stateDir, 'runs', 'r1', 'logs'))).toContain('each%5B3%5D.log');
    expect(await logs.read('r1', 'each[3]')).toBe('==> each[3] (attempt 1) <==\nitem three\n');
  });

  it('starts a header on its own line when the previous text had no newline', async () => {
    const logs = new FileStepLogStore(await newDir());
    await logs.append('r1', 'test', 1, 'partial');
    await logs.append('r1', 'test', 2, 'again\n');
    expect(await logs.read('r1', 'test')).toBe('==> test (attempt 1) <==\npartial\n==> test (attempt 2) <==\nagain\n');
  });

  it('reads the whole run in the order the steps began logging', async () => {
    const logs = new FileStepLogStore(await newDir());
    await logs.append('r1', 'zeta', 1, 'first\n');
    await logs.append('r1', 'alpha', 1, 'second');
    await logs.append('r1', 'zeta', 1, 'third\n');
    expect(await logs.read('r1')).toBe('==> zeta (attempt 1) <==\nfirst\nthird\n==> alpha (attempt 1) <==\nsecond\n');
  });

  it('a new store on the same directory (a resumed run) continues the attempt without a second header', async () => {
    const stateDir = await newDir();
    await new FileStepLogStore(stateDir).append('r1', 'build', 2, 'before the restart\n');
    const resumed = new FileStepLogStore(stateDir);
    await resumed.append('r1', 'build', 2, 'after\n');
    await resumed.append('r1', 'build', 3, 'next attempt\n');
    expect(await resumed.read('r1', 'build')).toBe(
      '==> build (attempt 2) <==\nbefore the restart\nafter\n==> build (attempt 3) <==\nnext attempt\n',
    );
  });

  it('keeps concurrent appends to one key whole and in call order', async () => {
    const logs = new FileStepLogStore(await newDir());
    await Promise.all(Array.from({ length: 50 }, (_, i) => logs.append('r1', 'build', 1, `line ${i}\n`)));
    const lines = (await logs.read('r1', 'build')).split('\n');
    expect(lines.slice(1, 51)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i}`));
  });

  it("reads '' for a run or step with no logs", async () => {
    const logs = new FileStepLogStore(await newDir());
    expect(await logs.read('r1')).toBe('');
    expect(await logs.read('r1', 'build')).toBe('');
  });

  it('refuses an unsafe run id', async () => {
    const logs = new FileStepLogStore(await newDir());
    await expect(logs.append('../x', 'build', 1, 'x')).rejects.toMatchObject({ code: 'invalid_run_id' });
  });
});
