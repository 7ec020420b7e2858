import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Fixture, type RunBody, startFixture } from './support/coordinator-fixture.js';

const HELLO = `version: 1
name: hello
steps:
  - id: greet
    type: shell
    run: echo hi from greet
`;

const GREETING = `version: 1
name: greeting
inputs:
  who: { type: string, required: true }
steps:
  - id: greet
    type: shell
    run: echo "name={{inputs.who}}" >> "$FLOWLINE_OUTPUT"
  - id: card
    type: template
    needs: [greet]
    template_file: card.hbs
    output: card.md
outputs:
  name: "{{steps.greet.outputs.name}}"
  bytes: "{{steps.card.outputs.bytes}}"
`;

const SLEEPER = `version: 1
name: sleeper
steps:
  - id: nap
    type: shell
    run: sleep 30
`;

/** Fails at `check` until the file named by `flag` exists: retry after creating it succeeds. */
const FLAKY = `version: 1
name: flaky
inputs:
  flag: { type: string, required: true }
steps:
  - id: prepare
    type: shell
    run: echo "stamp=$(date +%s%N)" >> "$FLOWLINE_OUTPUT"
  - id: check
    type: shell
    needs: [prepare]
    run: test -f "{{inputs.flag}}"
outputs:
  stamp: "{{steps.prepare.outputs.stamp}}"
`;

const BROKEN = `version: 1
name: broken
steps:
  - id: a
    type: shell
    run: echo a
    needs: [missing]
`;

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture({ workflows: { hello: HELLO, sleeper: SLEEPER } });
});

afterAll(async () => {
  await fx?.stop();
});

interface Accepted {
  run_id: string;
  status: string;
}

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

async function submit(body: unknown, headers: Record<string, string> = {}): Promise<Accepted> {
  return json<Accepted>(await fx.api('/v1/runs', { body, headers }), 202);
}

async function stepRunning(runId: string, step: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const run = await json<RunBody>(await fx.api(`/v1/runs/${runId}`), 200);
    if (run.steps.find((s) => s.key === step)?.status === 'running') return;
    if (Date.now() > deadline) throw new Error(`step ${step} of ${runId} never ran: ${JSON.stringify(run.steps)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('create and read', () => {
  it('runs a named workflow: 202 with a Location, then the run succeeds with its steps', async () => {
    const response = await fx.api('/v1/runs', { body: { workflow: 'hello' } });
    const accepted = await json<Accepted>(response, 202);
    expect(accepted).toEqual({ run_id: expect.stringMatching(/^r-[0-9a-f]{26}$/), status: 'running' });
    expect(response.headers.get('location')).toBe(`/v1/runs/${accepted.run_id}`);
    const run = await fx.runReaches(accepted.run_id, ['succeeded', 'failed']);
    expect(run).toMatchObject({ status: 'succeeded', workflow_name: 'hello', workflow_file: 'hello.yaml' });
    expect(run.steps).toEqual([
      expect.objectContaining({ key: 'greet', status: 'succeeded', attempt: 1, error: null, cache_hit: false }),
    ]);
  });

  it('runs inline YAML with inputs and the template files it names', async () => {
    const { run_id } = await submit({
      yaml: GREETING,
      files: { 'card.hbs': 'Hello {{steps.greet.outputs.name}}!\n' },
      inputs: { who: 'Ada' },
      priority: 9,
    });
    const run = await fx.runReaches(run_id, ['succeeded', 'failed']);
    expect(run).toMatchObject({ status: 'succeeded', priority: 9, inputs: { who: 'Ada' } });
    expect(run.outputs).toEqual({ name: 'Ada', bytes: String('Hello Ada!\n'.length) });
  });

  it('serves a step log as text, and 404 for an unknown step or run', async () => {
    const { run_id } = await submit({ workflow: 'hello' });
    await fx.runReaches(run_id, ['succeeded']);
    const log = await fx.api(`/v1/runs/${run_id}/steps/greet/logs`);
    expect(log.status).toBe(200);
    expect(log.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await log.text()).toContain('hi from greet');
    expect((await fx.api(`/v1/runs/${run_id}/steps/nope/logs`)).status).toBe(404);
    expect((await fx.api(`/v1/runs/r-unknown/steps/greet/logs`)).status).toBe(404);
  });

  it('lists runs filtered by status and workflow, and refuses an unknown status', async () => {
    const { run_id } = await submit({ workflow: 'hello' });
    await fx.runReaches(run_id, ['succeeded']);
    const listed = await json<{ runs: Accepted[] }>(await fx.api('/v1/runs?status=succeeded&workflow=hello'), 200);
    expect(listed.runs.map((r) => r.run_id)).toContain(run_id);
    expect(listed.runs.every((r) => r.status === 'succeeded')).toBe(true);
    const none = await json<{ runs: unknown[] }>(await fx.api('/v1/runs?workflow=no-such-workflow'), 200);
    expect(none.runs).toEqual([]);
    const one = await json<{ runs: unknown[] }>(await fx.api('/v1/runs?limit=1'), 200);
    expect(one.runs).toHaveLength(1);
    const bad = await fx.api('/v1/runs?status=done');
    expect(bad.status).toBe(400);
    expect((await fx.api('/v1/runs?limit=0')).status).toBe(400);
  });
});

describe('idempotency', () => {
  it('returns the same run for a repeated Idempotency-Key, and creates it once', async () => {
    const headers = { 'idempotency-key': `hello-${Date.now()}` };
    const first = await submit({ workflow: 'hello' }, headers);
    const again = await json<Accepted>(await fx.api('/v1/runs', { body: { workflow: 'hello' }, headers }), 200);
    expect(again.run_id).toBe(first.run_id);
    await fx.runReaches(first.run_id, ['succeeded']);
    const after = await json<Accepted>(await fx.api('/v1/runs', { body: { workflow: 'hello' }, headers }), 200);
    expect(after).toEqual({ run_id: first.run_id, status: 'succeeded' });
  });

  it('answers two requests with one key at once with one run', async () => {
    const headers = { 'idempotency-key': `race-${Date.now()}` };
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        fx.api('/v1/runs', { body: { yaml: GREETING, files: { 'card.hbs': 'x' }, inputs: { who: 'B' } }, headers }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 202]);
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as Accepted).run_id));
    expect(new Set(ids).size).toBe(1);
  });

  it('refuses the same key with another workflow or other inputs with 409', async () => {
    const headers = { 'idempotency-key': `reuse-${Date.now()}` };
    const body = { yaml: GREETING, files: { 'card.hbs': 'x' }, inputs: { who: 'C' } };
    const { run_id } = await submit(body, headers);
    const otherInputs = await fx.api('/v1/runs', { body: { ...body, inputs: { who: 'D' } }, headers });
    expect(otherInputs.status).toBe(409);
    expect(await otherInputs.json()).toMatchObject({
      error: { code: 'idempotency_key_reused', details: { run_id } },
    });
    expect((await fx.api('/v1/runs', { body: { workflow: 'hello' }, headers })).status).toBe(409);
  });

  it('refuses a key that is not printable ASCII', async () => {
    const response = await fx.api('/v1/runs', {
      body: { workflow: 'hello' },
      headers: { 'idempotency-key': 'x'.repeat(256) },
    });
    expect(response.status).toBe(400);
  });
});

describe('refused requests', () => {
  it('answers an invalid workflow with 400 and the validator’s diagnostics, with line and column', async () => {
    const before = await json<{ runs: unknown[] }>(await fx.api('/v1/runs'), 200);
    const response = await fx.api('/v1/runs', { body: { yaml: BROKEN } });
    const body = await json<{ error: { code: string; message: string; details: { diagnostics: Diag[] } } }>(
      response,
      400,
    );
    expect(body.error.code).toBe('invalid_workflow');
    expect(body.error.message).toMatch(/^inline\.yaml:7:\d+: error: /);
    const diagnostic = body.error.details.diagnostics.find((d) => d.code === 'unknown-step');
    expect(diagnostic).toMatchObject({ line: 7, column: 13, severity: 'error', step_id: 'a' });
    expect(diagnostic?.text).toMatch(/^inline\.yaml:7:\d+: error: .*missing/);
    const after = await json<{ runs: unknown[] }>(await fx.api('/v1/runs'), 200);
    expect(after.runs).toHaveLength(before.runs.length);
  });

  it('answers bad inputs with 400 invalid_inputs naming them', async () => {
    const response = await fx.api('/v1/runs', { body: { yaml: GREETING, files: { 'card.hbs': 'x' }, inputs: {} } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'invalid_inputs', message: expect.stringContaining('who') },
    });
  });

  it('answers an unknown workflow name with 404 and a name that is not one with 400', async () => {
    expect((await fx.api('/v1/runs', { body: { workflow: 'nope' } })).status).toBe(404);
    expect((await fx.api('/v1/runs', { body: { workflow: '../hello' } })).status).toBe(400);
    expect((await fx.api('/v1/runs', { body: { workflow: 'hello', yaml: HELLO } })).status).toBe(400);
    expect((await fx.api('/v1/runs', { body: { workflow: 'hello', priority: 11 } })).status).toBe(400);
  });
});

interface Diag {
  code: string;
  line: number;
  column: number;
  severity: string;
  step_id?: string;
  text: string;
}

describe('cancel and retry', () => {
  it('cancels a running run: 202 with the record, then the run is cancelled; a second cancel is a 409', async () => {
    const { run_id } = await submit({ workflow: 'sleeper' });
    await stepRunning(run_id, 'nap');
    const retryRunning = await fx.api(`/v1/runs/${run_id}/retry`, { body: {} });
    expect(retryRunning.status).toBe(409);
    const response = await fx.api(`/v1/runs/${run_id}/cancel`, { method: 'POST' });
    expect(await json<Accepted>(response, 202)).toMatchObject({ run_id, status: 'cancelled' });
    const run = await fx.runReaches(run_id, ['cancelled'], 5_000);
    expect(run.steps[0]?.status).toBe('cancelled');
    const again = await fx.api(`/v1/runs/${run_id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
  });

  it('retries a failed run from a step once the cause is fixed, keeping the outputs before it', async () => {
    const flag = join(fx.root, `flag-${Date.now()}`);
    const { run_id } = await submit({ yaml: FLAKY, inputs: { flag } });
    const failed = await fx.runReaches(run_id, ['succeeded', 'failed']);
    expect(failed.status).toBe('failed');
    expect(failed.steps.map((s) => [s.key, s.status])).toEqual([
      ['prepare', 'succeeded'],
      ['check', 'failed'],
    ]);
    const unknownStep = await fx.api(`/v1/runs/${run_id}/retry`, { body: { from: 'nope' } });
    expect(unknownStep.status).toBe(400);
    expect(await unknownStep.json()).toMatchObject({ error: { code: 'unknown_step' } });
    const prepared = failed.steps.find((s) => s.key === 'prepare')?.started_at;
    await writeFile(flag, '');
    const response = await fx.api(`/v1/runs/${run_id}/retry`, { body: { from: 'check' } });
    expect(await json<Accepted>(response, 202)).toMatchObject({ run_id, status: 'running' });
    const run = await fx.runReaches(run_id, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(run.steps.find((s) => s.key === 'prepare')).toMatchObject({ status: 'succeeded', started_at: prepared });
    expect(run.outputs['stamp']).toMatch(/^\d+$/);
    const nothing = await fx.api(`/v1/runs/${run_id}/retry`, { body: {} });
    expect(nothing.status).toBe(409);
    expect(await nothing.json()).toMatchObject({ error: { code: 'nothing_to_retry' } });
  });
});

describe('plan and validate', () => {
  const DIAMOND = `version: 1
name: diamond
steps:
  - id: top
    type: shell
    run: echo 'list=["a","b","c"]' >> "$FLOWLINE_OUTPUT"
    cache: { enabled: true }
  - id: left
    type: shell
    needs: [top]
    run: echo left
    for_each: '{{steps.top.outputs.list}}'
  - id: right
    type: shell
    needs: [top]
    run: echo {{item}}
    for_each: [x, y]
  - id: bottom
    type: assert
    needs: [left, right]
    that: ["{{eq 1 1}}"]
`;

  it('plans without storing anything: steps, levels, fan-out sizes, what the cache can say', async () => {
    const before = await json<{ runs: unknown[] }>(await fx.api('/v1/runs'), 200);
    const plan = await json<Record<string, unknown>>(await fx.api('/v1/runs:plan', { body: { yaml: DIAMOND } }), 200);
    expect(plan).toMatchObject({
      workflow: { name: 'diamond', digest: expect.any(String) },
      priority: 5,
      levels: [['top'], ['left', 'right'], ['bottom']],
      lint: [],
    });
    expect(plan['steps']).toEqual([
      expect.objectContaining({
        id: 'top',
        needs: [],
        level: 0,
        cache_enabled: true,
        expected_cache_hit: null,
        for_each: null,
      }),
      expect.objectContaining({ id: 'left', for_each: { items: null, max_parallel: null }, expected_cache_hit: false }),
      expect.objectContaining({ id: 'right', for_each: { items: 2, max_parallel: null } }),
      expect.objectContaining({ id: 'bottom', type: 'assert', needs: ['left', 'right'], trigger_rule: 'all_success' }),
    ]);
    const after = await json<{ runs: unknown[] }>(await fx.api('/v1/runs'), 200);
    expect(after.runs).toHaveLength(before.runs.length);
  });

  it('plans a named workflow, and refuses an invalid one as create does', async () => {
    const plan = await json<{ steps: unknown[] }>(await fx.api('/v1/runs:plan', { body: { workflow: 'hello' } }), 200);
    expect(plan.steps).toHaveLength(1);
    const invalid = await fx.api('/v1/runs:plan', { body: { yaml: BROKEN } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_workflow' } });
  });

  it('validates: valid with its files, not valid (200) with positioned diagnostics without them', async () => {
    const valid = await fx.api('/v1/workflows/validate', { body: { yaml: GREETING, files: { 'card.hbs': 'x' } } });
    expect(await json<unknown>(valid, 200)).toEqual({ valid: true, diagnostics: [] });
    const missing = await json<{ valid: boolean; diagnostics: Diag[] }>(
      await fx.api('/v1/workflows/validate', { body: { yaml: GREETING } }),
      200,
    );
    expect(missing.valid).toBe(false);
    expect(missing.diagnostics[0]?.text).toMatch(/^inline\.yaml:\d+:\d+: error: .*card\.hbs/);
    expect((await fx.api('/v1/workflows/validate', { body: {} })).status).toBe(400);
  });
});
