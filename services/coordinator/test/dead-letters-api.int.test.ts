import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { type Fixture, startFixture } from './support/coordinator-fixture.js';

/** `check` fails (exit 1, no retries) unless the run's input `fixed` is true: a replay with it patched succeeds. */
const GATED = `version: 1
name: gated
inputs:
  fixed: { type: boolean, default: false }
steps:
  - id: prepare
    type: shell
    run: echo "stamp=$(date +%s%N)" >> "$FLOWLINE_OUTPUT"
  - id: check
    type: shell
    needs: [prepare]
    run: |
      echo "checking, fixed={{inputs.fixed}}"
      test "{{inputs.fixed}}" = true
  - id: after
    type: shell
    needs: [check]
    run: echo done
outputs:
  stamp: "{{steps.prepare.outputs.stamp}}"
`;

interface Letter {
  id: string;
  run_id: string;
  workflow_name: string;
  step_key: string;
  step_type: string;
  attempts: number;
  error: { code: string; message: string; retryable: boolean };
  exit_code: number | null;
  fingerprint: string;
  inputs: Record<string, unknown>;
  log_tail: string;
}

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture({ workflows: { gated: GATED } });
});

afterAll(async () => {
  await fx?.stop();
});

/** Submits a gated run that fails, and returns its run id and the letter its failed step left. */
async function failedRun(): Promise<{ runId: string; letter: Letter }> {
  const response = await fx.api('/v1/runs', { body: { workflow: 'gated' } });
  expect(response.status).toBe(202);
  const { run_id: runId } = (await response.json()) as { run_id: string };
  expect((await fx.runReaches(runId, ['succeeded', 'failed'])).status).toBe('failed');
  const listed = await fx.api(`/v1/dlq?run_id=${runId}`);
  expect(listed.status).toBe(200);
  const { dead_letters } = (await listed.json()) as { dead_letters: Letter[] };
  expect(dead_letters).toHaveLength(1);
  return { runId, letter: dead_letters[0]! };
}

describe('dead letters', () => {
  it('lists a step that failed for good with its error, fingerprint, rendered inputs and log tail', async () => {
    const { runId, letter } = await failedRun();
    expect(letter).toMatchObject({
      id: expect.stringMatching(/^dl-[0-9a-f]{20}$/),
      run_id: runId,
      workflow_name: 'gated',
      step_key: 'check',
      step_type: 'shell',
      attempts: 1,
      exit_code: 1,
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(letter.log_tail).toContain('checking, fixed=false');
    expect(JSON.stringify(letter.inputs)).toContain('test \\"false\\" = true');
    const one = await fx.api(`/v1/dlq/${letter.id}`);
    expect(await one.json()).toEqual(letter);
    const alike = (await (await fx.api(`/v1/dlq?fingerprint=${encodeURIComponent(letter.fingerprint)}`)).json()) as {
      dead_letters: Letter[];
    };
    expect(alike.dead_letters.map((l) => l.id)).toContain(letter.id);
    const other = (await (await fx.api('/v1/dlq?workflow=not-gated')).json()) as { dead_letters: Letter[] };
    expect(other.dead_letters).toEqual([]);
  });

  it('replays a letter with patched inputs: the run resumes from the step, reuses earlier outputs and succeeds', async () => {
    const { runId, letter } = await failedRun();
    const before = await fx.runReaches(runId, ['failed']);
    const prepared = before.steps.find((s) => s.key === 'prepare');
    const response = await fx.api(`/v1/dlq/${letter.id}/replay`, { body: { inputs: { fixed: true } } });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ run_id: runId, status: 'running' });
    const run = await fx.runReaches(runId, ['succeeded', 'failed']);
    expect(run.status).toBe('succeeded');
    expect(run.steps.map((s) => [s.key, s.status])).toEqual([
      ['prepare', 'succeeded'],
      ['check', 'succeeded'],
      ['after', 'succeeded'],
    ]);
    expect(run.steps[0]).toMatchObject({ attempt: prepared?.attempt, started_at: prepared?.started_at });
    expect((await fx.api(`/v1/dlq/${letter.id}`)).status).toBe(404);
  });

  it('refuses patched inputs the workflow does not accept, and changes nothing', async () => {
    const { letter } = await failedRun();
    const response = await fx.api(`/v1/dlq/${letter.id}/replay`, { body: { inputs: { fixed: 'yes' } } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_inputs' } });
    expect((await fx.api(`/v1/dlq/${letter.id}`)).status).toBe(200);
  });

  it('purges a letter: 204, then it is gone (404), and purging it again is a 404', async () => {
    const { letter } = await failedRun();
    const purged = await fx.api(`/v1/dlq/${letter.id}`, { method: 'DELETE' });
    expect(purged.status).toBe(204);
    expect((await fx.api(`/v1/dlq/${letter.id}`)).status).toBe(404);
    const again = await fx.api(`/v1/dlq/${letter.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: 'unknown_dead_letter' } });
    expect((await fx.api(`/v1/dlq/${letter.id}/replay`, { method: 'POST' })).status).toBe(404);
  });
});
