import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { createStepDispatcher } from '@flowline/queue-bullmq';
import { eventually, processesWith } from '@flowline/test-servers';
import type { WorkflowBundle } from '@flowline/workflow';

import { RunCoordinator } from './run-coordinator.js';

import { type Cluster, startCluster } from './test-support/cluster-harness.js';

function bundle(name: string, text: string): WorkflowBundle {
  return { file: `${name}.yaml`, text, templateFiles: {} };
}

/** `check` fails (non-retryably: exit codes are not retried without `retry`) unless the run's input `ok` is "yes". */
const GATED = bundle(
  'gated',
  `version: 1
name: gated
inputs:
  ok: { default: "no" }
steps:
  - id: first
    type: shell
    run: |
      echo "first ran"
      echo "{\\"n\\": $RANDOM}" > "$FLOWLINE_OUTPUT"
  - id: check
    type: shell
    needs: [first]
    run: 'echo "checking {{inputs.ok}} at /tmp/x$RANDOM"; test "{{inputs.ok}}" = yes'
  - id: after
    type: shell
    needs: [check]
    run: echo after
`,
);

describe('RunCoordinator operations (coordinator + 2 workers, real Redis, file stores)', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster('files', { sandbox: 'none' });
  }, 60_000);
  afterAll(() => cluster.stop());

  it('dead-letters a step that failed for good: error, fingerprint, rendered inputs, log tail, attempts', async () => {
    await cluster.coordinator.submit({ runId: 'dl-1', bundle: GATED, inputs: {} });
    expect((await cluster.finished('dl-1')).status).toBe('failed');
    const [letter, ...rest] = await cluster.deadLetters.list({ runId: 'dl-1' });
    expect(rest).toEqual([]);
    expect(letter).toMatchObject({
      runId: 'dl-1',
      workflowName: 'gated',
      stepKey: 'check',
      stepType: 'shell',
      attempts: 1,
      exitCode: 1,
    });
    expect(letter!.error.code).toBe('exit_code');
    expect(letter!.inputs['run']).toContain('test "no" = yes');
    expect(letter!.logTail).toContain('checking no');
    expect(letter!.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('gives alike failures of different runs one fingerprint', async () => {
    await cluster.coordinator.submit({ runId: 'dl-2', bundle: GATED, inputs: {} });
    await cluster.finished('dl-2');
    const [a] = await cluster.deadLetters.list({ runId: 'dl-1' });
    const [b] = await cluster.deadLetters.list({ runId: 'dl-2' });
    expect(b!.id).not.toBe(a!.id);
    expect(b!.fingerprint).toBe(a!.fingerprint);
  });

  it('replaying a letter with patched inputs resumes the run from that step, reusing what succeeded', async () => {
    const [letter] = await cluster.deadLetters.list({ runId: 'dl-1' });
    const before = await cluster.runs.readEvents('dl-1');
    const firstOutputs = finishedOutputs(before, 'first');
    await cluster.coordinator.replayDeadLetter(letter!.id, { inputs: { ok: 'yes' } });
    const record = await cluster.finished('dl-1');
    expect(record.status).toBe('succeeded');
    const events = await cluster.runs.readEvents('dl-1');
    // `first` ran once, before the replay; `check` and `after` ran after it.
    expect(startsOf(events, 'first')).toBe(1);
    expect(startsOf(events, 'check')).toBe(2);
    expect(startsOf(events, 'after')).toBe(1);
    expect(finishedOutputs(events, 'first')).toEqual(firstOutputs);
    expect(await cluster.deadLetters.get(letter!.id)).toBeUndefined();
  });

  it('refuses to replay an unknown letter and to patch inputs the workflow does not accept', async () => {
    await expect(cluster.coordinator.replayDeadLetter('dl-00000000000000000000')).rejects.toMatchObject({
      code: 'unknown_dead_letter',
    });
    const [letter] = await cluster.deadLetters.list({ runId: 'dl-2' });
    await expect(cluster.coordinator.replayDeadLetter(letter!.id, { inputs: { nope: 1 } })).rejects.toMatchObject({
      code: 'invalid_inputs',
    });
    expect(await cluster.deadLetters.get(letter!.id)).toBeDefined();
    expect((await cluster.runs.get('dl-2'))!.status).toBe('failed');
  });

  it('retries a failed run twice: attempt numbers start again, and each generation runs (no job id collides)', async () => {
    const flaky = bundle(
      'flaky',
      `version: 1
name: flaky
steps:
  - id: once
    type: shell
    run: echo once
  - id: flip
    type: shell
    needs: [once]
    run: 'test -e "${cluster.root}/flip-ok"'
`,
    );
    await cluster.coordinator.submit({ runId: 'retry-1', bundle: flaky, inputs: {} });
    expect((await cluster.finished('retry-1')).status).toBe('failed');
    await cluster.coordinator.retry('retry-1');
    expect((await cluster.finished('retry-1')).status).toBe('failed');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${cluster.root}/flip-ok`, '');
    await cluster.coordinator.retry('retry-1');
    expect((await cluster.finished('retry-1')).status).toBe('succeeded');
    const events = await cluster.runs.readEvents('retry-1');
    expect(startsOf(events, 'flip')).toBe(3);
    expect(startsOf(events, 'once')).toBe(1);
  });

  it('retry --from a step re-runs it and its descendants; errors name the problem', async () => {
    await expect(cluster.coordinator.retry('retry-1', { from: 'nope' })).rejects.toMatchObject({
      code: 'unknown_step',
    });
    await expect(cluster.coordinator.retry('no-such-run')).rejects.toMatchObject({ code: 'unknown_run' });
    await expect(cluster.coordinator.retry('retry-1')).rejects.toMatchObject({ code: 'nothing_to_retry' });
    await cluster.coordinator.retry('retry-1', { from: 'once' });
    expect((await cluster.finished('retry-1')).status).toBe('succeeded');
    const events = await cluster.runs.readEvents('retry-1');
    expect(startsOf(events, 'once')).toBe(2);
  });

  it('a late report from before a retry does not count for the retried attempt of the same number', async () => {
    // A coordinator on queues no worker serves: the test plays the worker.
    const dispatcher = await createStepDispatcher({ redisUrl: cluster.redisUrl, prefix: '{flowline-late}' });
    const coordinator = new RunCoordinator({ ...cluster, dispatcher, clock: Date.now, secrets: {} });
    const one = bundle('one', 'version: 1\nname: one\nsteps:\n  - { id: s, type: shell, run: "true" }\n');
    await coordinator.submit({ runId: 'late-1', bundle: one, inputs: {} });
    const job = (generation: number) => ({
      runId: 'late-1',
      workflowDigest: 'x',
      key: { step: 's' },
      attempt: 1,
      generation,
      stepType: 'shell',
      timeoutMs: 1000,
      priority: 5,
    });
    const failed = { ok: false as const, error: { code: 'exit_code', message: 'exit 1', retryable: false } };
    await coordinator.handleReport({ job: job(0), startedAt: 1, finishedAt: 2, outcome: failed, worker: 'w' });
    await coordinator.retry('late-1');
    const before = await cluster.runs.readEvents('late-1');
    // The first attempt's report, delivered again after the retry queued generation 1's attempt 1.
    const ok = { ok: true as const, outputs: {} };
    await coordinator.handleReport({ job: job(0), startedAt: 3, finishedAt: 4, outcome: ok, worker: 'late' });
    expect(await cluster.runs.readEvents('late-1')).toEqual(before);
    await coordinator.handleReport({ job: job(1), startedAt: 5, finishedAt: 6, outcome: ok, worker: 'w' });
    expect((await cluster.runs.get('late-1'))!.status).toBe('succeeded');
    await dispatcher.close();
  });

  it('cancels a running run: the step stops early and the run ends cancelled; a finished run cannot be cancelled', async () => {
    const slow = bundle('slow', 'version: 1\nname: slow\nsteps:\n  - { id: nap, type: shell, run: "sleep 30.4242" }\n');
    await cluster.coordinator.submit({ runId: 'cancel-1', bundle: slow, inputs: {} });
    await eventually(
      'the step to start',
      async () =>
        startsOf(await cluster.runs.readEvents('cancel-1'), 'nap') === 0 && (await workerBusy()) ? true : undefined,
      10_000,
    );
    const began = Date.now();
    await cluster.coordinator.cancel('cancel-1');
    expect((await cluster.finished('cancel-1')).status).toBe('cancelled');
    await eventually('the step to stop', async () => ((await workerBusy()) ? undefined : true), 10_000);
    expect(Date.now() - began).toBeLessThan(5_000);
    await expect(cluster.coordinator.cancel('cancel-1')).rejects.toMatchObject({ code: 'run_finished' });
    await expect(cluster.coordinator.cancel('no-such-run')).rejects.toMatchObject({ code: 'unknown_run' });
  });

  describe('workflow concurrency', () => {
    const serial = bundle(
      'serial',
      `version: 1
name: serial
concurrency: { key: "repo-{{inputs.repo}}", limit: 1 }
inputs:
  repo: { required: true }
steps:
  - { id: work, type: shell, run: "sleep 0.3" }
`,
    );

    it('queues runs that share a key (never drops them) and runs them one at a time, in order', async () => {
      const submitted = [];
      for (const n of [1, 2, 3]) {
        submitted.push(
          await cluster.coordinator.submit({ runId: `serial-${n}`, bundle: serial, inputs: { repo: 'a' } }),
        );
      }
      const other = await cluster.coordinator.submit({ runId: 'serial-b', bundle: serial, inputs: { repo: 'b' } });
      expect(submitted.map((r) => r.status)).toEqual(['running', 'queued', 'queued']);
      expect(other.status).toBe('running');
      expect(submitted[1]!.concurrency).toEqual({ group: 'repo-a', limit: 1 });
      const spans = [];
      for (const n of [1, 2, 3]) {
        expect((await cluster.finished(`serial-${n}`)).status).toBe('succeeded');
        spans.push(span(await cluster.runs.readEvents(`serial-${n}`)));
      }
      // One at a time, first come first served: each starts after the one before it finished.
      expect(spans[1]!.start).toBeGreaterThanOrEqual(spans[0]!.end);
      expect(spans[2]!.start).toBeGreaterThanOrEqual(spans[1]!.end);
      // Another key is not held back by them.
      expect(span(await cluster.runs.readEvents('serial-b')).start).toBeLessThan(spans[0]!.end);
      expect((await cluster.admission.inspect('repo-a')).holders).toEqual([]);
    });

    it('cancelling a queued run takes it out of line; the next one still runs', async () => {
      for (const n of [4, 5, 6]) {
        await cluster.coordinator.submit({ runId: `serial-${n}`, bundle: serial, inputs: { repo: 'c' } });
      }
      const cancelled = await cluster.coordinator.cancel('serial-5');
      expect(cancelled.status).toBe('cancelled');
      expect((await cluster.finished('serial-6')).status).toBe('succeeded');
      expect((await cluster.finished('serial-4')).status).toBe('succeeded');
      expect(await cluster.runs.readEvents('serial-5')).toEqual([]);
    });

    it('a slot a crashed coordinator never released is reclaimed from a finished holder', async () => {
      // The slot is taken by a run that is already over, as if its coordinator died before releasing it.
      await cluster.admission.admit('repo-d', 1, 'serial-1');
      const record = await cluster.coordinator.submit({ runId: 'serial-7', bundle: serial, inputs: { repo: 'd' } });
      expect(record.status).toBe('running');
      expect((await cluster.finished('serial-7')).status).toBe('succeeded');
    });
  });
});

type Events = Awaited<ReturnType<Cluster['runs']['readEvents']>>;

function startsOf(events: Events, step: string): number {
  return events.filter((e) => e.event.type === 'step_started' && e.event.key.step === step).length;
}

function finishedOutputs(events: Events, step: string): unknown {
  const found = events.map((e) => e.event).find((e) => e.type === 'step_finished' && e.key.step === step);
  return found?.type === 'step_finished' && found.outcome.ok ? found.outcome.outputs : undefined;
}

function span(events: Events): { start: number; end: number } {
  const ats = events.map((e) => e.event).filter((e) => e.type === 'step_started' || e.type === 'step_finished');
  return { start: Math.min(...ats.map((e) => e.at)), end: Math.max(...ats.map((e) => e.at)) };
}

/** Whether the cancelled step's `sleep` is alive. */
async function workerBusy(): Promise<boolean> {
  return (await processesWith('sleep 30.4242')).length > 0;
}
