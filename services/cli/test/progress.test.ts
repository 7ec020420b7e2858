import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { main } from '../src/main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowline-progress-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runFanOut(isTTY: boolean): Promise<string> {
  let stderr = '';
  const io = {
    stdout: { write: () => true, isTTY },
    stderr: { write: (text: string) => (stderr += text), isTTY },
    env: { PATH: process.env['PATH'], FLOWLINE_STATE_DIR: join(dir, `state-${String(isTTY)}`), NO_COLOR: '1' },
  };
  const code = await main(['run', resolve('templates/examples/fan-out.yaml'), '--workspace', dir], io);
  expect(code).toBe(0);
  return stderr;
}

describe('run progress', () => {
  it('on a terminal, a fan-out step is a progress bar redrawn in place', async () => {
    const stderr = await runFanOut(true);
    expect(stderr).toContain('\r\u001b[K');
    expect(stderr).toMatch(/count █{20} 5\/5/);
    expect(stderr).toMatch(/✓ count \d+ms/);
  }, 30_000);

  it('piped, the same progress is plain lines with no control characters', async () => {
    const stderr = await runFanOut(false);
    expect(stderr).toContain('count: 5/5 items done');
    expect(stderr).not.toContain('\r');
    expect(stderr).not.toContain('\u001b');
  }, 30_000);
});
