import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type CoordinatorService, startCoordinatorService, tokenDigest } from '@flowline/coordinator';
import { type ClusterStores, openClusterStores, parseServiceConfig } from '@flowline/service-config';
import { type RedisServer, startRedis } from '@flowline/test-servers';
import { type WorkerService, startWorkerService } from '@flowline/worker';

import type { CliIo } from '../src/index.js';
import { flowlineInProcess } from './support/in-process.js';

/**
 * The remote commands against a real coordinator service and worker (file
 * stores, a real redis-server, no sandbox), run in-process through main()
 * with FLOWLINE_SERVER and FLOWLINE_TOKEN in their environment.
 */
const TOKEN = 'cli-remote-test-token-0123456789';

/** Reads a template file beside it: submitting the file must send that file too. */
const HELLO = `version: 1
name: hello
inputs:
  who: { type: string, default: world }
  times: { type: integer, default: 1 }
steps:
  - id: greet
    type: shell
    run: |
      echo "saying hello to {{inputs.who}}"
      echo "greeting=Hello, {{inputs.who}} x{{inputs.times}}" >> "$FLOWLINE_OUTPUT"
  - id: report
    type: template
    needs: [greet]
    template_file: report.md.hbs
    output: report.md
outputs:
  greeting: "{{steps.greet.outputs.greeting}}"
  report_bytes: "{{steps.report.outputs.bytes}}"
`;
const REPORT = '# {{steps.greet.outputs.greeting}}\n';

/** `check` fails (no retries) unless the run's input `fixed` is true. */
const GATED = `version: 1
name: gated
inputs:
  fixed: { type: boolean, default: false }
steps:
  - id: prepare
    type: shell
    run: echo preparing
  - id: check
    type: shell
    needs: [prepare]
    run: |
      echo "checking, fixed={{inputs.fixed}}"
      test "{{inputs.fixed}}" = true
`;

const SLEEPY = `version: 1
name: sleepy
steps:
  - id: nap
    type: shell
    run: sleep 60
`;

const BROKEN = `version: 1
name: broken
steps:
  - id: build
    type: shell
    run: make
  - id: test
    type: shell
    needs: [biuld]
    run: make test
`;

let redis: RedisServer;
let dir: string;
let stores: ClusterStores;
let coordinator: CoordinatorService;
let worker: WorkerService;
let env: Record<string, string>;
const files: Record<string, string> = {};

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'flowline-cli-remote-'));
  const workflows = join(dir, 'workflows');
  await mkdir(workflows);
  await writeFile(join(workflows, 'hello.yaml'), HELLO);
  await writeFile(join(workflows, 'report.md.hbs'), REPORT);
  // The files submitted inline live elsewhere: the coordinator never sees this directory.
  const local = join(dir, 'local');
  await mkdir(local);
  for (const [name, text] of Object.entries({ hello: HELLO, gated: GATED, sleepy: SLEEPY, broken: BROKEN })) {
    files[name] = join(local, `${name}.yaml`);
    await writeFile(files[name], text);
  }
  await writeFile(join(local, 'report.md.hbs'), REPORT);
  const serviceEnv = {
    REDIS_URL: redis.url,
    FLOWLINE_REDIS_PREFIX: '{cli-remote-test}',
    FLOWLINE_STATE_DIR: join(dir, 'state'),
    FLOWLINE_TMPDIR: dir,
    FLOWLINE_API_TOKENS: tokenDigest(TOKEN),
    FLOWLINE_WORKFLOWS_DIR: workflows,
    FLOWLINE_SANDBOX: 'none',
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
  };
  const config = parseServiceConfig(serviceEnv, 'coordinator');
  stores = await openClusterStores(config);
  coordinator = await startCoordinatorService({
    stores,
    redisUrl: config.redis.url,
    prefix: config.redis.prefix,
    port: 0,
    host: '127.0.0.1',
    tokenDigests: config.tokenDigests,
    workflowsDir: config.workflowsDir,
    secrets: {},
    tempDir: config.tempDir,
    log: () => undefined,
  });
  worker = await startWorkerService(parseServiceConfig(serviceEnv, 'worker'), {
    workerId: 'cli-test-worker',
    log: () => undefined,
  });
  env = { FLOWLINE_SERVER: coordinator.url, FLOWLINE_TOKEN: TOKEN, NO_COLOR: '1' };
}, 60_000);

afterAll(async () => {
  await worker?.close({ force: true });
  await coordinator?.close();
  await stores?.close();
  await redis?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Runs `flowline ...args` in-process with the test's environment (or another). */
function flowline(args: string[], environment: CliIo['env'] = env) {
  return flowlineInProcess(args, environment);
}

interface RunBody {
  run_id: string;
  status: string;
  outputs: Record<string, string>;
  steps: { key: string; status: string; attempt: number; started_at: string | null }[];
}

async function status(runId: string): Promise<RunBody> {
  const result = await flowline(['status', runId, '--json']);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(result.stdout) as RunBody;
}

/** Polls `flowline status --json` until `done` holds for the run. */
async function until(runId: string, done: (run: RunBody) => boolean, what: string): Promise<RunBody> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = await status(runId);
    if (done(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId}: waited for ${what}: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Submits a file without waiting and returns the run id it prints. */
async function submitted(file: string, ...more: string[]): Promise<string> {
  const result = await flowline(['submit', file, ...more]);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toMatch(/^\S+\n$/);
  return result.stdout.trim();
}

/** A gated run that failed, and the one dead letter its `check` step left. */
async function failedGatedRun(): Promise<{ runId: string; letterId: string }> {
  const result = await flowline(['submit', files['gated']!, '--wait']);
  expect(result.code).toBe(1);
  const runId = result.stdout.trim();
  expect(result.stderr).toContain(`run ${runId} failed`);
  const listed = await flowline(['dlq', 'list', '--run', runId, '--json']);
  expect(listed.code).toBe(0);
  const letters = JSON.parse(listed.stdout) as { id: string; step_key: string }[];
  expect(letters.map((l) => l.step_key)).toEqual(['check']);
  return { runId, letterId: letters[0]!.id };
}

describe('flowline submit', () => {
  it('sends a file with its template files, follows the run with --wait and exits 0', async () => {
    const result = await flowline(['submit', files['hello']!, '--input', 'who=Ada', '--input', 'times=3', '--wait']);
    expect(result.code).toBe(0);
    const runId = result.stdout.trim();
    expect(result.stdout).toBe(`${runId}\n`);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^✓ greet \S+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^✓ report \S+$/));
    expect(lines.at(-1)).toMatch(new RegExp(`^run ${runId} succeeded in \\S+$`));
    // times=3 went as the integer the workflow declares, and report.md.hbs came along.
    const run = await status(runId);
    expect(run.outputs).toEqual({ greeting: 'Hello, Ada x3', report_bytes: String('# Hello, Ada x3\n'.length) });
  }, 60_000);

  it('submits a workflow the coordinator holds, by name, with --json', async () => {
    const result = await flowline(['submit', 'hello', '--input', 'who=Bo', '--json', '--wait']);
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as RunBody;
    expect(run).toMatchObject({ status: 'succeeded', outputs: { greeting: 'Hello, Bo x1' } });
    expect(run.steps.map((s) => [s.key, s.status])).toEqual([
      ['greet', 'succeeded'],
      ['report', 'succeeded'],
    ]);
  }, 60_000);

  it('an invalid workflow: exit 1, the diagnostics with this file’s name, line and column, as validate prints them', async () => {
    const result = await flowline(['submit', files['broken']!]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const local = await flowline(['validate', files['broken']!]);
    expect(local.stderr).toMatch(/:9:13: error: .*"biuld".*\[unknown-step\]\n$/);
    expect(result.stderr).toBe(
      `${local.stderr}flowline: error: ${files['broken']} is not a valid workflow (1 error) [invalid_workflow]\n`,
    );
  });

  it('a workflow the coordinator does not have, and inputs it refuses: exit 1 with the API’s reason', async () => {
    const unknown = await flowline(['submit', 'no-such-workflow']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe(
      'flowline: error: there is no workflow named "no-such-workflow" on this coordinator [unknown_workflow]\n',
    );
    const inputs = await flowline(['submit', files['hello']!, '--input', 'times=many']);
    expect(inputs.code).toBe(1);
    expect(inputs.stderr).toMatch(
      /^flowline: error: hello: input "times" must be of type integer.*\[invalid_inputs\]\n$/,
    );
  });

  it('the same idempotency key twice gives the same run', async () => {
    const first = await submitted(files['hello']!, '--idempotency-key', 'cli-test-key-1');
    const second = await submitted(files['hello']!, '--idempotency-key', 'cli-test-key-1');
    expect(second).toBe(first);
    await until(first, (run) => run.status === 'succeeded', 'success');
  }, 60_000);
});

describe('status, logs and runs list', () => {
  let runId: string;
  beforeAll(async () => {
    runId = await submitted(files['hello']!, '--input', 'who=Cy');
    await until(runId, (run) => run.status === 'succeeded', 'success');
  }, 60_000);

  it('status: the run, its outputs and a table of its steps', async () => {
    const result = await flowline(['status', runId]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`run ${runId}  hello  succeeded`);
    expect(result.stdout).toContain('outputs: greeting=Hello, Cy x1');
    const header = lines.findIndex((line) => line.startsWith('STEP'));
    expect(lines[header]).toMatch(/^STEP\s+TYPE\s+STATUS\s+ATTEMPT\s+DURATION\s+NOTE$/);
    expect(lines[header + 1]).toMatch(/^greet\s+shell\s+succeeded\s+1\s+\S+/);
    expect(lines[header + 2]).toMatch(/^report\s+template\s+succeeded\s+1\s+\S+/);
  });

  it('logs: one step’s log, and every step’s in the order they started', async () => {
    const one = await flowline(['logs', runId, 'greet']);
    expect(one).toMatchObject({ code: 0, stderr: '' });
    expect(one.stdout).toBe('==> greet (attempt 1) <==\nsaying hello to Cy\n');
    const all = await flowline(['logs', runId]);
    expect(all.code).toBe(0);
    expect(all.stdout.startsWith(one.stdout)).toBe(true);
    const unknown = await flowline(['logs', runId, 'nope']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toBe(`flowline: error: run ${runId} has no step "nope" [unknown_step]\n`);
  });

  it('runs list: a table, or the API’s JSON, filtered by workflow and status', async () => {
    const table = await flowline(['runs', 'list', '--workflow', 'hello', '--status', 'succeeded']);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout.split('\n')[0]).toMatch(/^RUN\s+WORKFLOW\s+STATUS\s+STARTED\s+DURATION$/);
    expect(table.stdout).toMatch(new RegExp(`^${runId}\\s+hello\\s+succeeded\\s`, 'm'));
    const json = await flowline(['runs', 'list', '--json', '--workflow', 'gated']);
    const runs = JSON.parse(json.stdout) as RunBody[];
    expect(runs.every((r) => (r as unknown as { workflow_name: string }).workflow_name === 'gated')).toBe(true);
    expect(runs.map((r) => r.run_id)).not.toContain(runId);
    const refused = await flowline(['runs', 'list', '--state-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--state-dir is for runs on this machine; it has no meaning with --server');
  });
});

describe('cancel and retry', () => {
  it('cancels a sleeping run; a second cancel is refused with exit 1', async () => {
    const runId = await submitted(files['sleepy']!);
    await until(runId, (run) => run.steps[0]?.status === 'running', 'nap to start');
    const cancelled = await flowline(['cancel', runId]);
    expect(cancelled).toMatchObject({ code: 0, stdout: `run ${runId} cancelled\n`, stderr: '' });
    const run = await until(runId, (r) => r.steps[0]?.status === 'cancelled', 'nap to be cancelled');
    expect(run.status).toBe('cancelled');
    const again = await flowline(['cancel', runId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^flowline: error: .*\[run_finished\]\n$/);
  }, 60_000);

  it('retry --server --wait runs the failed step again on the coordinator', async () => {
    const { runId } = await failedGatedRun();
    const check = async () => (await status(runId)).steps.find((s) => s.key === 'check')!;
    const before = await check();
    const result = await flowline(['retry', runId, '--wait']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`✗ check \\S+: .*\nrun ${runId} failed`));
    // A retry is a new generation: attempt 1 again, started later.
    const after = await check();
    expect(after).toMatchObject({ status: 'failed', attempt: 1 });
    expect(Date.parse(after.started_at!)).toBeGreaterThan(Date.parse(before.started_at!));
  }, 60_000);
});

describe('flowline dlq', () => {
  it('lists a dead letter, replays it with a patched input, and the run succeeds', async () => {
    const { runId, letterId } = await failedGatedRun();
    const table = await flowline(['dlq', 'list', '--workflow', 'gated']);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(
      /^ID\s+RUN\s+WORKFLOW\s+STEP\s+ATTEMPTS\s+FINGERPRINT\s+CREATED\s+ERROR$/,
    );
    const row = table.stdout.split('\n').find((line) => line.startsWith(letterId));
    expect(row).toMatch(new RegExp(`^${letterId}\\s+${runId}\\s+gated\\s+check\\s+1\\s+[0-9a-f]{12}\\s`));
    // The table's short fingerprint finds the letter too.
    const fingerprint = row!.split(/\s+/)[5]!;
    const alike = await flowline(['dlq', 'list', '--fingerprint', fingerprint, '--json']);
    expect((JSON.parse(alike.stdout) as { id: string }[]).map((l) => l.id)).toContain(letterId);
    // `true` goes as the boolean the run's input is, not as text.
    const replayed = await flowline(['dlq', 'replay', letterId, '--input', 'fixed=true']);
    expect(replayed).toMatchObject({ code: 0, stdout: `replayed ${letterId}: run ${runId} is running\n`, stderr: '' });
    const run = await until(runId, (r) => r.status !== 'running', 'the replay to end');
    expect(run.status).toBe('succeeded');
    expect((await flowline(['dlq', 'list', '--run', runId, '--json'])).stdout.trim()).toBe('[]');
  }, 60_000);

  it('purges a letter; purging it again is refused with exit 1', async () => {
    const { runId, letterId } = await failedGatedRun();
    const purged = await flowline(['dlq', 'purge', letterId]);
    expect(purged).toMatchObject({ code: 0, stdout: `purged ${letterId}\n`, stderr: '' });
    expect((await flowline(['dlq', 'list', '--run', runId, '--json'])).stdout.trim()).toBe('[]');
    const again = await flowline(['dlq', 'purge', letterId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`flowline: error: there is no dead letter "${letterId}" [unknown_dead_letter]\n`);
  }, 60_000);

  it('refuses options that do not belong to the subcommand', async () => {
    const result = await flowline(['dlq', 'purge', 'dl-1', '--input', 'a=b']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('dlq purge does not take --input');
  });
});

describe('when the coordinator cannot be asked', () => {
  it('no FLOWLINE_TOKEN: exit 2, a line that says to set it, and no request', async () => {
    const result = await flowline(['status', 'some-run'], { FLOWLINE_SERVER: coordinator.url });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.split('\n')[0]).toBe(
      `flowline: error: FLOWLINE_TOKEN is not set: set FLOWLINE_TOKEN to an API token the coordinator at ${coordinator.url} accepts`,
    );
  });

  it('a token the coordinator refuses: exit 2, and the line says to set FLOWLINE_TOKEN', async () => {
    const result = await flowline(['runs', 'list'], { ...env, FLOWLINE_TOKEN: 'not-the-token' });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      'flowline: error: the coordinator refused the token (the token is not valid): set FLOWLINE_TOKEN to a token it accepts\n',
    );
  });

  it('nothing listening at --server: exit 2 and the connection error', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await flowline(['submit', files['hello']!, '--server', url]);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toBe(
      `flowline: error: cannot reach the coordinator at ${url}: connect ECONNREFUSED ${url.slice(7)}\n`,
    );
  });

  it('no server at all: submit is a usage error, while logs and runs stay local', async () => {
    const result = await flowline(['submit', files['hello']!], { FLOWLINE_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('submit needs --server URL (or FLOWLINE_SERVER)');
    const local = await flowline(['runs', 'list', '--state-dir', join(dir, 'empty')], {});
    expect(local).toMatchObject({ code: 0, stderr: '' });
  });
});

/** A port nothing listens on: one the system just handed out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
