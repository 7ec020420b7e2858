import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import { shellExecutor } from './shell-executor.js';
import { type TestContext, testContext } from './test-support/context.js';
import { shellStep } from './test-support/rendered.js';

let context: TestContext;
afterEach(() => context.cleanup());

async function processesWith(marker: string): Promise<number> {
  let found = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found++;
  }
  return found;
}

async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

describe('shell executor', () => {
  it('runs in the workspace and reports exit code, stdout and stderr', async () => {
    context = await testContext();
    const outcome = await shellExecutor.execute(shellStep('pwd; echo oops >&2'), context);
    expect(outcome).toEqual({
      ok: true,
      outputs: { exit_code: 0, stdout: `${context.workspace}\n`, stderr: 'oops\n' },
    });
    expect(context.logs.map((l) => l.text).join('')).toContain('oops');
  });

  it('reads $FLOWLINE_OUTPUT as key=value lines or as one JSON object, and outputs_from', async () => {
    context = await testContext();
    const lines = await shellExecutor.execute(
      shellStep('echo "sha=abc=1" >> "$FLOWLINE_OUTPUT"; echo "n=2" >> "$FLOWLINE_OUTPUT"'),
      context,
    );
    expect(lines.ok && lines.outputs).toMatchObject({ sha: 'abc=1', n: '2' });
    const json = await shellExecutor.execute(
      shellStep('echo \'{"count": 3, "list": [1]}\' > "$FLOWLINE_OUTPUT"'),
      context,
    );
    expect(json.ok && json.outputs).toMatchObject({ count: 3, list: [1] });
    const from = await shellExecutor.execute(
      shellStep('mkdir -p out && echo \'{"files": 2}\' > out/r.json', { outputsFrom: 'out/r.json' }),
      context,
    );
    expect(from.ok && from.outputs).toMatchObject({ files: 2 });
  });

  it('fails with the exit code and the last stderr line; pipefail is on by default', async () => {
    context = await testContext();
    const outcome = await shellExecutor.execute(shellStep('echo first >&2; false | true; echo never'), context);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toEqual({ code: 'exit_code', message: 'exit code 1: first', retryable: true });
    expect(outcome.outputs).toMatchObject({ exit_code: 1, stdout: '' });
  });

  it('refuses a malformed $FLOWLINE_OUTPUT with a clear, non-retryable error', async () => {
    context = await testContext();
    const outcome = await shellExecutor.execute(shellStep('echo "no equals sign" > "$FLOWLINE_OUTPUT"'), context);
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'bad_output', message: expect.stringContaining('line 1 is not key=value'), retryable: false },
    });
  });

  it("gives the step only its own env and secrets, never the driver's", async () => {
    process.env['FLOWLINE_DRIVER_ONLY'] = 'leak';
    context = await testContext({ secrets: { API_TOKEN: 's3cret' } });
    const outcome = await shellExecutor.execute(
      shellStep('echo "[$FLOWLINE_DRIVER_ONLY][$GREETING][$API_TOKEN]"', { env: { GREETING: 'hi' } }),
      context,
    );
    delete process.env['FLOWLINE_DRIVER_ONLY'];
    expect(outcome.ok && outcome.outputs['stdout']).toBe('[][hi][s3cret]\n');
  });

  it('keeps only the last 64 KiB of stdout', async () => {
    context = await testContext();
    const outcome = await shellExecutor.execute(shellStep('head -c 200000 /dev/zero | tr "\\0" x; echo END'), context);
    const stdout = outcome.ok ? String(outcome.outputs['stdout']) : '';
    expect(stdout.length).toBe(64 * 1024);
    expect(stdout.endsWith('xEND\n')).toBe(true);
  });

  it('kills the whole process tree at the timeout: SIGTERM first, SIGKILL after the grace period', async () => {
    context = await testContext({ config: { killGraceMs: 300 } });
    const marker = `flowline-timeout-${process.pid}-${Date.now()}`;
    // The trap ignores SIGTERM, so only the SIGKILL after the grace period ends it.
    const script = `trap "" TERM; (exec -a ${marker} sleep 300) & (exec -a ${marker} sleep 300) & wait`;
    const started = Date.now();
    const running = shellExecutor.execute(shellStep(script, { timeoutMs: 200 }), context);
    // The script's own shell carries the marker too: wait for at least the two sleeps.
    expect(await eventually(async () => (await processesWith(marker)) >= 3)).toBe(true);
    context.controller.abort('timeout');
    const outcome = await running;
    expect(outcome).toMatchObject({ ok: false, error: { code: 'timeout', retryable: true } });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await eventually(async () => (await processesWith(marker)) === 0)).toBe(true);
  }, 20_000);

  it('reports a cancel as cancelled, not retryable', async () => {
    context = await testContext();
    const running = shellExecutor.execute(shellStep('sleep 30'), context);
    setTimeout(() => context.controller.abort('cancelled'), 100);
    expect(await running).toMatchObject({ ok: false, error: { code: 'cancelled', retryable: false } });
  });

  it('leaves no background process behind when the step exits', async () => {
    context = await testContext();
    const marker = `flowline-straggler-${process.pid}-${Date.now()}`;
    const outcome = await shellExecutor.execute(shellStep(`(exec -a ${marker} sleep 300) & echo started`), context);
    expect(outcome.ok).toBe(true);
    expect(await eventually(async () => (await processesWith(marker)) === 0)).toBe(true);
  }, 20_000);

  it('logs a character whose bytes arrive in two chunks whole', async () => {
    context = await testContext();
    await shellExecutor.execute(shellStep("printf 'caf\\xc3'; sleep 0.1; printf '\\xa9\\n'"), context);
    expect(context.logs.map((l) => l.text).join('')).toBe('café\n');
  });

  it('runs in working_directory and with another shell', async () => {
    context = await testContext();
    await mkdir(join(context.workspace, 'sub'));
    await writeFile(join(context.workspace, 'sub', 'f.txt'), 'x');
    const outcome = await shellExecutor.execute(
      shellStep('ls', { workingDirectory: 'sub', shell: ['sh', '-e'] }),
      context,
    );
    expect(outcome.ok && outcome.outputs['stdout']).toBe('f.txt\n');
  });
});
