import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Fixture, startFixture } from './support/coordinator-fixture.js';

const CHAIN = `version: 1
name: chain
inputs:
  n: { type: number, default: 1 }
steps:
  - id: one
    type: shell
    run: echo "v={{inputs.n}}" >> "$FLOWLINE_OUTPUT"
  - id: two
    type: shell
    needs: [one]
    run: echo "v={{steps.one.outputs.v}}" >> "$FLOWLINE_OUTPUT"
  - id: three
    type: shell
    needs: [two]
    run: echo "v={{steps.two.outputs.v}}" >> "$FLOWLINE_OUTPUT"
outputs:
  v: "{{steps.three.outputs.v}}"
`;

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture({ workflows: { chain: CHAIN }, coordinators: 2 });
});

afterAll(async () => {
  await fx?.stop();
});

describe('two coordinators over one Redis and one state store', () => {
  it('settle one Idempotency-Key sent to both at once on one run', async () => {
    const [a, b] = fx.services;
    const headers = { 'idempotency-key': `both-${Date.now()}` };
    const body = { workflow: 'chain', inputs: { n: 7 } };
    const responses = await Promise.all(
      [a, b, a, b].map((service) => fx.apiOf(service!, '/v1/runs', { body, headers })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 202]);
    const ids = await Promise.all(responses.map(async (r) => ((await r.json()) as { run_id: string }).run_id));
    expect(new Set(ids).size).toBe(1);
    const run = await fx.runReaches(ids[0]!, ['succeeded', 'failed']);
    expect(run).toMatchObject({ status: 'succeeded', outputs: { v: '7' } });
    expect(run.steps.map((s) => s.attempt)).toEqual([1, 1, 1]);
  });

  it('serve each other’s runs: created on one, read, listed and cancelled on the other', async () => {
    const [a, b] = fx.services;
    const created = await fx.apiOf(a!, '/v1/runs', { body: { workflow: 'chain' } });
    expect(created.status).toBe(202);
    const { run_id } = (await created.json()) as { run_id: string };
    await fx.runReaches(run_id, ['succeeded']);
    const read = await fx.apiOf(b!, `/v1/runs/${run_id}`);
    expect(await read.json()).toMatchObject({ run_id, status: 'succeeded' });
    const listed = (await (await fx.apiOf(b!, '/v1/runs?workflow=chain')).json()) as { runs: { run_id: string }[] };
    expect(listed.runs.map((r) => r.run_id)).toContain(run_id);
    const cancel = await fx.apiOf(b!, `/v1/runs/${run_id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(409);
  });

  it('run many runs to the end, whichever coordinator takes each report', async () => {
    const submitted = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const response = await fx.apiOf(fx.services[i % 2]!, '/v1/runs', {
          body: { workflow: 'chain', inputs: { n: i } },
        });
        expect(response.status).toBe(202);
        return ((await response.json()) as { run_id: string }).run_id;
      }),
    );
    const runs = await Promise.all(submitted.map((id) => fx.runReaches(id, ['succeeded', 'failed'])));
    expect(runs.map((r) => r.outputs['v'])).toEqual(submitted.map((_, i) => String(i)));
    expect(fx.logged.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
