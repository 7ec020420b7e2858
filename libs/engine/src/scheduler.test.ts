import { ValidationError } from '@flowline/core';
import { describe, expect, test } from '@jest/globals';

import { applyEvent, startRun } from './scheduler.js';
import { fail, simulate, statusOf, statuses, succeed, workflow } from './test-support/simulate.js';

const runtime = { secrets: {} };

describe('needs and the order of work', () => {
  const wf = workflow(`
name: diamond
steps:
  - { id: a, type: shell, run: "true" }
  - { id: b, type: shell, needs: [a], run: "true" }
  - { id: c, type: shell, needs: [a], run: "true" }
  - { id: d, type: shell, needs: [b, c], run: "true" }
`);

  test('only steps that need nothing start first; a step starts once its needs succeed', () => {
    const first = startRun(wf, { runId: 'r', inputs: {}, at: 0 }, runtime);
    expect(first.commands).toEqual([{ type: 'start_step', key: { step: 'a' }, attempt: 1, timeoutMs: 3_600_000 }]);
    const sim = simulate(wf);
    expect(sim.starts).toEqual(['a#1', 'b#1', 'c#1', 'd#1']);
    expect(sim.state.status).toBe('succeeded');
    expect(sim.log.at(-1)).toMatchObject({ type: 'finish_run', status: 'succeeded', outputs: {} });
  });

  test('outputs flow into the templates of later steps and into workflow outputs', () => {
    const flow = workflow(`
name: flow
inputs: { n: { type: number, default: 2 } }
steps:
  - { id: count, type: shell, run: "true" }
  - { id: gate, type: conditional, needs: [count], condition: "{{gt steps.count.outputs.n inputs.n}}", then: [big] }
  - { id: big, type: shell, run: "true" }
outputs:
  n: "{{steps.count.outputs.n}}"
  branch: "{{steps.gate.outputs.branch}}"
`);
    const sim = simulate(flow, () => succeed({ n: '5' }));
    expect(sim.state.outputs).toEqual({ n: '5', branch: 'then' });
    expect(statuses(sim.state, flow)).toEqual({ count: 'succeeded', gate: 'succeeded', big: 'succeeded' });
    // The conditional was decided by the scheduler: no executor was started for it.
    expect(sim.starts).toEqual(['count#1', 'big#1']);
  });
});

describe('trigger rules, failure and skip propagation', () => {
  const wf = workflow(`
name: rules
steps:
  - { id: build, type: shell, run: "true" }
  - { id: test, type: shell, needs: [build], run: "true" }
  - { id: deploy, type: shell, needs: [test], run: "true" }
  - { id: report, type: shell, needs: [deploy], trigger_rule: none_failed, run: "true" }
  - { id: always, type: shell, needs: [deploy], trigger_rule: all_done, run: "true" }
  - { id: rollback, type: shell, needs: [test, deploy], trigger_rule: one_failed, run: "true" }
`);

  test('a failure makes all_success and none_failed dependents upstream_failed; all_done and one_failed run', () => {
    const sim = simulate(wf, (key) => (key === 'test' ? fail('tests failed', false) : succeed()));
    expect(statuses(sim.state, wf)).toEqual({
      build: 'succeeded',
      test: 'failed',
      deploy: 'upstream_failed',
      report: 'upstream_failed',
      always: 'succeeded',
      rollback: 'succeeded',
    });
    expect(sim.state.status).toBe('failed');
    expect(sim.state.error).toMatchObject({ code: 'step_failed', message: 'step test failed: tests failed' });
  });

  test('when nothing fails, one_failed is skipped', () => {
    const sim = simulate(wf);
    expect(statusOf(sim.state, wf, 'rollback')).toBe('skipped');
    expect(sim.state.status).toBe('succeeded');
  });

  test('one_failed runs as soon as one need fails, without waiting for the others', () => {
    const early = workflow(`
name: early
steps:
  - { id: slow, type: shell, run: "true" }
  - { id: quick, type: shell, run: "true" }
  - { id: rollback, type: shell, needs: [slow, quick], trigger_rule: one_failed, run: "true" }
`);
    const start = startRun(early, { runId: 'r', inputs: {}, at: 0 }, runtime);
    const failed = applyEvent(
      early,
      start.state,
      { type: 'step_finished', key: { step: 'quick' }, attempt: 1, at: 5, outcome: fail('x', false) },
      runtime,
    );
    expect(failed.commands).toEqual([
      { type: 'start_step', key: { step: 'rollback' }, attempt: 1, timeoutMs: 3_600_000 },
    ]);
    expect(statusOf(failed.state, early, 'slow')).toBe('running');
  });

  test('continue_on_error: dependents run as if it succeeded, see status failed, and the run succeeds', () => {
    const tolerant = workflow(`
name: tolerant
steps:
  - { id: optional, type: shell, run: "false", continue_on_error: true }
  - id: after
    type: shell
    needs: [optional]
    env: { SEEN: "{{steps.optional.status}}" }
    run: "true"
outputs:
  seen: "{{steps.optional.status}}"
`);
    const sim = simulate(tolerant, (key) => (key === 'optional' ? fail('nope', false) : succeed()));
    expect(statuses(sim.state, tolerant)).toEqual({ optional: 'failed', after: 'succeeded' });
    expect(sim.state.status).toBe('succeeded');
    expect(sim.state.outputs).toEqual({ seen: 'failed' });
  });
});

describe('conditionals and if', () => {
  const wf = workflow(`
name: branches
inputs: { go: { type: boolean, default: true } }
steps:
  - { id: gate, type: conditional, condition: "{{inputs.go}}", then: [yes], else: [no] }
  - { id: yes, type: shell, run: "true" }
  - { id: no, type: shell, run: "true" }
  - { id: after-no, type: shell, needs: [no], run: "true" }
  - { id: join, type: shell, needs: [yes, no], trigger_rule: none_failed, run: "true" }
  - { id: strict-join, type: shell, needs: [yes, no], run: "true" }
`);

  test('the branch not taken is skipped, and skips propagate through the trigger rules', () => {
    const sim = simulate(wf);
    expect(statuses(sim.state, wf)).toEqual({
      gate: 'succeeded',
      yes: 'succeeded',
      no: 'skipped',
      'after-no': 'skipped',
      join: 'succeeded',
      'strict-join': 'skipped',
    });
    expect(sim.state.steps.get(2).reason).toBe('gate took the other branch');
  });

  test('the else branch', () => {
    const sim = simulate(wf, undefined, { inputs: { go: false } });
    expect(statusOf(sim.state, wf, 'yes')).toBe('skipped');
    expect(statusOf(sim.state, wf, 'no')).toBe('succeeded');
    expect(statusOf(sim.state, wf, 'join')).toBe('succeeded');
  });

  test('a falsy if skips the step; one that cannot render fails it, without retrying', () => {
    const ifs = workflow(`
name: ifs
inputs: { on: { type: string, default: "0" } }
steps:
  - { id: a, type: shell, run: "true" }
  - { id: off, type: shell, needs: [a], if: "{{inputs.on}}", run: "true", retry: { max_attempts: 3 } }
  - { id: broken, type: shell, needs: [a], if: "{{steps.a.outputs.missing}}", run: "true", retry: { max_attempts: 3 } }
`);
    const sim = simulate(ifs);
    expect(statuses(sim.state, ifs)).toEqual({ a: 'succeeded', off: 'skipped', broken: 'failed' });
    expect(sim.state.steps.get(2).error).toMatchObject({ code: 'template_render_failed', retryable: false });
    expect(sim.state.steps.get(2).error!.message).toContain('steps.a.outputs.missing is not defined');
    expect(sim.starts).toEqual(['a#1']);
  });
});

describe('retries', () => {
  const wf = workflow(`
name: retries
steps:
  - id: flaky
    type: shell
    run: "true"
    retry: { max_attempts: 4, backoff: exponential, initial_delay: 1s, max_delay: 3s, jitter: false }
  - { id: fragile, type: shell, run: "true", retry: { max_attempts: 4 } }
`);

  test('a retryable failure is retried after an exponential, capped delay', () => {
    const sim = simulate(wf, (key, attempt) => (key === 'flaky' && attempt < 4 ? fail() : succeed()));
    const retries = sim.log.filter((c) => c.type === 'schedule_retry');
    expect(retries.map((c) => (c.type === 'schedule_retry' ? [c.attempt, c.delayMs] : []))).toEqual([
      [2, 1000],
      [3, 2000],
      [4, 3000],
    ]);
    expect(statusOf(sim.state, wf, 'flaky')).toBe('succeeded');
    expect(sim.state.steps.get(0)).toMatchObject({ attempt: 4 });
    expect(sim.state.steps.get(0).error).toBeUndefined();
  });

  test('attempts never exceed max_attempts; a non-retryable error is not retried', () => {
    const sim = simulate(wf, (key) => (key === 'flaky' ? fail() : fail('bad config', false)));
    expect(sim.starts.filter((s) => s.startsWith('flaky'))).toEqual(['flaky#1', 'flaky#2', 'flaky#3', 'flaky#4']);
    expect(sim.starts.filter((s) => s.startsWith('fragile'))).toEqual(['fragile#1']);
    expect(statuses(sim.state, wf)).toEqual({ flaky: 'failed', fragile: 'failed' });
  });

  test('jittered delays are deterministic and within [0, cap]', () => {
    const jittery = workflow(
      'name: j\nsteps: [{ id: a, type: shell, run: "true", retry: { max_attempts: 3, initial_delay: 10s } }]',
    );
    const delays = (run: number) =>
      simulate(jittery, (_, attempt) => (attempt < 3 ? fail() : succeed()))
        .log.filter((c) => c.type === 'schedule_retry')
        .map((c) => (c.type === 'schedule_retry' ? c.delayMs : -run));
    expect(delays(1)).toEqual(delays(2));
    for (const [i, d] of delays(1).entries()) {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(10_000 * 2 ** i);
    }
  });
});

describe('for_each', () => {
  test('one unit per item, at most max_parallel at once, outputs in order', () => {
    const wf = workflow(`
name: fan
steps:
  - { id: list, type: shell, run: "true" }
  - { id: each, type: shell, needs: [list], for_each: "{{json steps.list.outputs.files}}", max_parallel: 2, run: "echo {{item}}" }
  - { id: after, type: shell, needs: [each], run: "true" }
outputs:
  count: "{{len steps.each.outputs.items}}"
  second: "{{lookup (lookup steps.each.outputs.items 1) 'words'}}"
`);
    const sim = simulate(wf, (key) =>
      key === 'list' ? succeed({ files: ['a', 'b', 'c', 'd', 'e'] }) : succeed({ words: key }),
    );
    expect(sim.starts).toEqual(['list#1', 'each[0]#1', 'each[1]#1', 'each[2]#1', 'each[3]#1', 'each[4]#1', 'after#1']);
    expect(sim.state.outputs).toEqual({ count: '5', second: 'each[1]' });
    // Never more than two items in flight: the simulation runs each start to completion before the next command.
    const startTimes = sim.log.filter((c) => c.type === 'start_step' && c.key.step === 'each');
    expect(startTimes.length).toBe(5);
  });

  test('max_parallel holds while items are in flight', () => {
    const wf = workflow(
      'name: f\nsteps: [{ id: each, type: shell, for_each: [1, 2, 3, 4, 5], max_parallel: 2, run: "true" }]',
    );
    const first = startRun(wf, { runId: 'r', inputs: {}, at: 0 }, runtime);
    expect(first.commands.map((c) => (c.type === 'start_step' ? c.key.item : null))).toEqual([0, 1]);
    const next = applyEvent(
      wf,
      first.state,
      { type: 'step_finished', key: { step: 'each', item: 1 }, attempt: 1, at: 1, outcome: succeed() },
      runtime,
    );
    expect(next.commands.map((c) => (c.type === 'start_step' ? c.key.item : null))).toEqual([2]);
  });

  test('a failed item fails the step once every item has ended; an empty list succeeds at once', () => {
    const wf = workflow(`
name: f
steps:
  - { id: each, type: shell, for_each: [a, b, c], run: "true" }
  - { id: none, type: shell, for_each: "{{json inputs.list}}", run: "true" }
inputs: { list: { type: array, default: [] } }
`);
    const sim = simulate(wf, (key) => (key === 'each[1]' ? fail('b broke', false) : succeed()));
    expect(statusOf(sim.state, wf, { step: 'each', item: 2 })).toBe('succeeded');
    expect(statusOf(sim.state, wf, 'each')).toBe('failed');
    expect(sim.state.steps.get(0).error?.message).toBe('item 1 failed: b broke');
    expect(statusOf(sim.state, wf, 'none')).toBe('succeeded');
  });

  test('for_each that does not render a JSON array fails the step', () => {
    const wf = workflow(
      'name: f\ninputs: { x: { type: string, default: "a,b" } }\nsteps: [{ id: each, type: shell, for_each: "{{inputs.x}}", run: "true" }]',
    );
    const sim = simulate(wf);
    expect(sim.state.steps.get(0).error).toMatchObject({ code: 'for_each_not_array', retryable: false });
  });

  test('if is judged per item', () => {
    const wf = workflow(
      'name: f\nsteps: [{ id: each, type: shell, for_each: [1, 2, 3, 4], if: "{{gt item 2}}", run: "true" }]',
    );
    const sim = simulate(wf);
    expect(sim.starts).toEqual(['each[2]#1', 'each[3]#1']);
    expect(statusOf(sim.state, wf, { step: 'each', item: 0 })).toBe('skipped');
    expect(statusOf(sim.state, wf, 'each')).toBe('succeeded');
  });
});

describe('exactly-once record', () => {
  const wf = workflow(
    'name: once\nsteps: [{ id: a, type: shell, run: "true" }, { id: b, type: shell, needs: [a], run: "true" }]',
  );

  test('a repeated or late result changes nothing and starts nothing', () => {
    const start = startRun(wf, { runId: 'r', inputs: {}, at: 0 }, runtime);
    const done = { type: 'step_finished', key: { step: 'a' }, attempt: 1, at: 5, outcome: succeed({ x: 1 }) } as const;
    const once = applyEvent(wf, start.state, done, runtime);
    const twice = applyEvent(wf, once.state, done, runtime);
    expect(twice.state).toEqual(once.state);
    expect(twice.commands).toEqual([]);
    const stale = applyEvent(wf, once.state, { ...done, attempt: 2, outcome: fail() }, runtime);
    expect(stale.state).toEqual(once.state);
  });

  test('the same events always give the same state', () => {
    const a = simulate(wf, () => succeed({ v: 1 }));
    const b = simulate(wf, () => succeed({ v: 1 }));
    expect(a.state).toEqual(b.state);
    expect(a.log).toEqual(b.log);
  });

  test('an event for another version of the workflow is refused', () => {
    const other = workflow(
      'name: once\nsteps: [{ id: a, type: shell, run: "echo changed" }, { id: b, type: shell, needs: [a], run: "true" }]',
    );
    const start = startRun(wf, { runId: 'r', inputs: {}, at: 0 }, runtime);
    expect(() => applyEvent(other, start.state, { type: 'run_cancelled', at: 1 }, runtime)).toThrow('another version');
  });
});

describe('cancellation', () => {
  test('running attempts are told to stop, everything open is cancelled, late results are ignored', () => {
    const wf = workflow(
      'name: c\nsteps: [{ id: a, type: shell, run: "true" }, { id: b, type: shell, run: "true" }, { id: c, type: shell, needs: [a], run: "true" }]',
    );
    const start = startRun(wf, { runId: 'r', inputs: {}, at: 0 }, runtime);
    const cancelled = applyEvent(wf, start.state, { type: 'run_cancelled', at: 3, reason: 'user asked' }, runtime);
    expect(cancelled.commands).toEqual([
      { type: 'cancel_step', key: { step: 'a' }, attempt: 1 },
      { type: 'cancel_step', key: { step: 'b' }, attempt: 1 },
      {
        type: 'finish_run',
        status: 'cancelled',
        outputs: {},
        error: { code: 'cancelled', message: 'user asked', retryable: false },
      },
    ]);
    expect(statuses(cancelled.state, wf)).toEqual({ a: 'cancelled', b: 'cancelled', c: 'cancelled' });
    const late = applyEvent(
      wf,
      cancelled.state,
      { type: 'step_finished', key: { step: 'a' }, attempt: 1, at: 4, outcome: succeed() },
      runtime,
    );
    expect(late).toEqual({ state: cancelled.state, commands: [] });
  });
});

describe('budget', () => {
  test('once the run has spent its budget, agent steps fail without starting', () => {
    const wf = workflow(`
name: spend
budget: { max_cost_usd: 1 }
steps:
  - { id: first, type: claude_code, prompt: one }
  - { id: second, type: claude_code, needs: [first], prompt: two }
  - { id: plain, type: shell, needs: [first], run: "true" }
`);
    const sim = simulate(wf, (key) =>
      key === 'first' ? { ok: true, outputs: {}, usage: { costUsd: 1.5, tokens: 900 } } : succeed(),
    );
    expect(statuses(sim.state, wf)).toEqual({ first: 'succeeded', second: 'failed', plain: 'succeeded' });
    expect(sim.state.steps.get(1).error).toMatchObject({ code: 'budget_exhausted', retryable: false });
    expect(sim.state.usage).toEqual({ costUsd: 1.5, tokens: 900 });
    expect(sim.starts).toEqual(['first#1', 'plain#1']);
  });
});

describe('inputs and outputs', () => {
  const wf = workflow(`
name: io
inputs:
  repo: { type: string, required: true }
  level: { type: string, enum: [low, high], default: low }
  n: { type: integer, default: 3 }
steps: [{ id: a, type: shell, run: "true" }]
outputs:
  summary: "{{inputs.repo}} {{inputs.level}} {{inputs.n}}"
  missing: "{{steps.a.outputs.nothing}}"
`);

  test('defaults fill in; bad inputs are refused before the run exists, each named', () => {
    expect(() => startRun(wf, { runId: 'r', inputs: { level: 'mid', n: 1.5, extra: 1 }, at: 0 }, runtime)).toThrow(
      ValidationError,
    );
    try {
      startRun(wf, { runId: 'r', inputs: { level: 'mid', n: 1.5, extra: 1 }, at: 0 }, runtime);
    } catch (error) {
      expect((error as ValidationError).message).toBe(
        'io: unknown input "extra"; input "repo" is required; input "level" must be one of "low", "high", got "mid"; input "n" must be of type integer, got 1.5',
      );
    }
    const sim = simulate(wf, undefined, { inputs: { repo: 'acme/app' } });
    expect(sim.state.inputs).toEqual({ repo: 'acme/app', level: 'low', n: 3 });
  });

  test('an output that cannot be rendered fails the run and says which', () => {
    const sim = simulate(wf, undefined, { inputs: { repo: 'acme/app' } });
    expect(sim.state.status).toBe('failed');
    expect(sim.state.outputs).toEqual({ summary: 'acme/app low 3' });
    expect(sim.state.error?.code).toBe('output_render_failed');
    expect(sim.state.error?.message).toContain('output missing: steps.a.outputs.nothing is not defined');
  });
});
