import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

const BIN = resolve('node_modules/.bin/flowline');
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowline-cli-run-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** `flowline ARGS…` as a user runs it, in the temp directory (the default workspace and state dir). */
function flowline(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(BIN, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function tree(root: string): Promise<string[]> {
  if (!existsSync(root)) return [];
  const entries = await readdir(root, { recursive: true });
  return entries.sort();
}

/** What each example must end as: the examples are the product's first impression. */
const EXAMPLES: Record<string, Record<string, string>> = {
  'hello.yaml': { greet: 'succeeded' },
  'diamond.yaml': {
    prepare: 'succeeded',
    sum: 'succeeded',
    squares: 'succeeded',
    report: 'succeeded',
    check: 'succeeded',
  },
  'conditional-join.yaml': {
    measure: 'succeeded',
    gate: 'succeeded',
    celebrate: 'succeeded',
    improve: 'skipped',
    summary: 'succeeded',
  },
  'fan-out.yaml': {
    list: 'succeeded',
    count: 'succeeded',
    'count[0]': 'succeeded',
    'count[4]': 'succeeded',
    report: 'succeeded',
  },
  'retries.yaml': { flaky: 'succeeded', optional: 'failed', 'wrap-up': 'succeeded' },
};

describe('flowline run', () => {
  it.each(Object.entries(EXAMPLES))('runs %s with the expected statuses', (file, expected) => {
    const result = flowline(['run', resolve('templates/examples', file), '--json']);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { status: string; steps: Record<string, { status: string }> };
    expect(summary.status).toBe('succeeded');
    for (const [key, status] of Object.entries(expected))
      expect([key, summary.steps[key]?.status]).toEqual([key, status]);
  });

  it('prints the --json object of the documented shape, and a line per step when piped', () => {
    const result = flowline(['run', resolve('templates/examples/hello.yaml'), '--input', 'who=Ada', '--json']);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['run_id', 'status', 'outputs', 'steps']);
    expect(summary['outputs']).toEqual({ greeting: 'Hello, Ada!' });
    expect(summary['steps']).toEqual({
      greet: {
        status: 'succeeded',
        attempts: 1,
        cache_hit: false,
        duration_ms: expect.any(Number),
        outputs: expect.objectContaining({ greeting: 'Hello, Ada!', exit_code: 0 }),
        error: null,
      },
    });
    expect(result.stderr).toMatch(/^✓ greet \d+ms$/m);
    expect(result.stderr).not.toContain('\u001b');
  });

  it('exits 1 when the run fails, and `logs` and `runs list` show it', async () => {
    const wf = join(dir, 'fail.yaml');
    await writeFile(wf, 'version: 1\nname: fail\nsteps:\n  - { id: a, type: shell, run: "echo to-the-log; exit 3" }\n');
    const result = flowline(['run', wf, '--json']);
    expect(result.code).toBe(1);
    const runId = (JSON.parse(result.stdout) as { run_id: string }).run_id;
    expect(flowline(['logs', runId, 'a']).stdout).toContain('to-the-log');
    expect(flowline(['runs', 'list']).stdout).toMatch(new RegExp(`${runId}\\s+fail\\s+failed`));
  });

  describe('bad input gets a clear error, exit 2, and leaves the state directory unchanged', () => {
    const fixtures: [string, RegExp][] = [
      ['yaml-malformed.yaml', /yaml-malformed\.yaml:\d+:\d+: error/],
      ['yaml-alias-bomb.yaml', /yaml-alias-bomb\.yaml:\d+:\d+: error: .*alias/i],
      ['logic-cycle.yaml', /logic-cycle\.yaml:\d+:\d+: error: .*cycle/],
      ['logic-unknown-step-ref.yaml', /logic-unknown-step-ref\.yaml:\d+:\d+: error/],
      ['logic-path-dotdot.yaml', /logic-path-dotdot\.yaml:\d+:\d+: error: .*climbs out/],
    ];
    it.each(fixtures)('%s', async (fixture, message) => {
      const before = await tree(join(dir, '.flowline'));
      const result = flowline(['run', resolve('libs/workflow/fixtures/invalid', fixture)]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(await tree(join(dir, '.flowline'))).toEqual(before);
    });

    it('an oversized workflow file', async () => {
      const wf = join(dir, 'huge.yaml');
      await writeFile(
        wf,
        `version: 1\nname: huge\n# ${'x'.repeat(1_100_000)}\nsteps:\n  - { id: a, type: shell, run: "true" }\n`,
      );
      const result = flowline(['run', wf]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/huge\.yaml:1:1: error: workflow file is [\d,]+ bytes; the limit is/);
      expect(await tree(join(dir, '.flowline'))).toEqual([]);
    });

    it('inputs of the wrong type, and a missing secret', async () => {
      const wf = join(dir, 'typed.yaml');
      await writeFile(
        wf,
        'version: 1\nname: typed\nsecrets: [TOKEN_FOR_TEST]\ninputs:\n  n: { type: number }\nsteps:\n  - { id: a, type: shell, run: "true" }\n',
      );
      const badInput = flowline(['run', wf, '--input', 'n=three'], { TOKEN_FOR_TEST: 'abcd' });
      expect(badInput.code).toBe(2);
      expect(badInput.stderr).toContain('input "n" must be of type number, got "three"');
      const noSecret = flowline(['run', wf, '--input', 'n=3']);
      expect(noSecret.code).toBe(2);
      expect(noSecret.stderr).toContain('TOKEN_FOR_TEST');
      expect(await tree(join(dir, '.flowline'))).toEqual([]);
    });

    it('a webhook to a private address fails its step before any request, naming step and address', async () => {
      const wf = join(dir, 'ssrf.yaml');
      await writeFile(
        wf,
        'version: 1\nname: ssrf\nsteps:\n  - { id: meta, type: webhook, method: GET, url: "http://169.254.169.254/latest/meta-data/" }\n',
      );
      const result = flowline(['run', wf, '--json'], { FLOWLINE_EGRESS_ALLOW: '' });
      expect(result.code).toBe(1);
      const summary = JSON.parse(result.stdout) as {
        steps: Record<string, { error: { code: string; message: string } }>;
      };
      expect(summary.steps['meta']?.error.code).toBe('egress_refused');
      expect(summary.steps['meta']?.error.message).toContain('169.254.169.254');
    });
  });
});

describe('flowline resume', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function events(runId: string): Promise<{ type: string; key?: { step: string } }[]> {
    const text = await readFile(join(dir, '.flowline/runs', runId, 'events.jsonl'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { event: { type: string; key?: { step: string } } }).event);
  }

  it('finishes a run killed with -9 mid-step, without re-running completed steps', async () => {
    const wf = join(dir, 'long.yaml');
    await writeFile(
      wf,
      [
        'version: 1',
        'name: long',
        'steps:',
        '  - { id: first, type: shell, run: "echo done > first.txt" }',
        '  - id: wait',
        '    type: shell',
        '    needs: [first]',
        '    run: "while [ ! -f go ]; do sleep 0.05; done; cat first.txt"',
        '  - { id: last, type: shell, needs: [wait], run: "echo last" }',
        '',
      ].join('\n'),
    );
    child = spawn(BIN, ['run', wf], { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    let runId = '';
    await waitFor(async () => {
      runId = (await tree(join(dir, '.flowline/runs'))).find((p) => !p.includes('/')) ?? '';
      const log = runId === '' ? [] : await events(runId);
      return log.some((e) => e.type === 'step_started' && e.key?.step === 'wait');
    }, 'the wait step to start');
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    const record = JSON.parse(await readFile(join(dir, '.flowline/runs', runId, 'run.json'), 'utf8')) as {
      status: string;
    };
    expect(record.status).toBe('running');

    await writeFile(join(dir, 'go'), '');
    const resumed = flowline(['resume', runId, '--json']);
    expect(resumed.stderr).toContain(`resuming ${runId}`);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as {
      status: string;
      steps: Record<string, { status: string; outputs: { stdout?: string } }>;
    };
    expect(summary.status).toBe('succeeded');
    expect(summary.steps['wait']?.outputs.stdout).toBe('done\n');
    const starts = (await events(runId)).filter((e) => e.type === 'step_started').map((e) => e.key?.step);
    expect(starts).toEqual(['first', 'wait', 'wait', 'last']);
  }, 60_000);

  it('Ctrl-C cancels the run: the running step is stopped and the run is recorded cancelled', async () => {
    const wf = join(dir, 'slow.yaml');
    await writeFile(
      wf,
      'version: 1\nname: slow\nsteps:\n  - { id: nap, type: shell, run: "touch started; sleep 300" }\n',
    );
    child = spawn(BIN, ['run', wf, '--json'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await waitFor(async () => {
      const runId = (await tree(join(dir, '.flowline/runs'))).find((p) => !p.includes('/')) ?? '';
      return (await events(runId)).some((e) => e.type === 'step_started');
    }, 'the step to start');
    const started = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child!.once('exit', r));
    expect(code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    const summary = JSON.parse(stdout) as { status: string; steps: Record<string, { status: string }> };
    expect(summary.status).toBe('cancelled');
    expect(summary.steps['nap']?.status).toBe('cancelled');
  }, 60_000);

  it('retry re-runs the failed step and what followed it, reusing the rest', async () => {
    const wf = join(dir, 'retry.yaml');
    await writeFile(
      wf,
      [
        'version: 1',
        'name: retry',
        'steps:',
        '  - { id: ok, type: shell, run: "echo ok" }',
        '  - { id: gate, type: shell, needs: [ok], run: "test -f fixed" }',
        '  - { id: after, type: shell, needs: [gate], run: "echo after" }',
        '',
      ].join('\n'),
    );
    const first = flowline(['run', wf, '--json']);
    expect(first.code).toBe(1);
    const runId = (JSON.parse(first.stdout) as { run_id: string }).run_id;
    await writeFile(join(dir, 'fixed'), '');
    const retried = flowline(['retry', runId, '--json']);
    expect(retried.code).toBe(0);
    const starts = (await events(runId)).filter((e) => e.type === 'step_started').map((e) => e.key?.step);
    expect(starts).toEqual(['ok', 'gate', 'gate', 'after']);
    expect(flowline(['retry', runId, '--from', 'nope']).stderr).toContain('has no step "nope"');
  }, 60_000);
});
