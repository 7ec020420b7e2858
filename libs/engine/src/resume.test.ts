import { describe, expect, test } from '@jest/globals';

import { resumeCommands, stepsToRetry } from './resume.js';
import { applyEvent, startRun } from './scheduler.js';
import { fail, simulate, statuses, succeed, workflow } from './test-support/simulate.js';

const wf = workflow(`
version: 1
name: resume
steps:
  - { id: a, type: shell, run: a }
  - { id: b, type: shell, needs: [a], run: b }
  - { id: c, type: shell, needs: [b], run: c }
  - { id: side, type: shell, needs: [a], run: side }
`);
const runtime = { secrets: {} };

describe('resumeCommands', () => {
  test('restarts the attempts that were running, with the same attempt number', () => {
    let { state } = startRun(wf, { runId: 'r', inputs: {}, at: 0 }, runtime);
    state = applyEvent(wf, state, { type: 'step_started', key: { step: 'a' }, attempt: 1, at: 1 }, runtime).state;
    expect(resumeCommands(wf, state)).toEqual([
      { type: 'start_step', key: { step: 'a' }, attempt: 1, timeoutMs: 3_600_000 },
    ]);
    const after = applyEvent(
      wf,
      state,
      {
        type: 'step_finished',
        key: { step: 'a' },
        attempt: 1,
        at: 2,
        outcome: succeed(),
      },
      runtime,
    ).state;
    expect(resumeCommands(wf, after).map((c) => c.type === 'start_step' && c.key.step)).toEqual(['b', 'side']);
  });

  test('makes a waiting retry due now, and gives nothing for a finished run', () => {
    const flaky = workflow(
      'version: 1\nname: f\nsteps:\n  - { id: a, type: shell, run: a, retry: { max_attempts: 2 } }\n',
    );
    let { state } = startRun(flaky, { runId: 'r', inputs: {}, at: 0 }, runtime);
    const failed = { type: 'step_finished', key: { step: 'a' }, attempt: 1, at: 2, outcome: fail() } as const;
    state = applyEvent(flaky, state, failed, runtime).state;
    expect(resumeCommands(flaky, state)).toEqual([
      { type: 'schedule_retry', key: { step: 'a' }, attempt: 2, delayMs: 0 },
    ]);
    expect(resumeCommands(wf, simulate(wf).state)).toEqual([]);
  });
});

describe('steps_reset (flowline retry)', () => {
  test('re-runs the failed step and its descendants, keeping every other record', () => {
    const first = simulate(wf, (key) => (key === 'b' ? fail('broken', false) : succeed({ from: key })));
    expect(statuses(first.state, wf)).toEqual({ a: 'succeeded', b: 'failed', c: 'upstream_failed', side: 'succeeded' });
    const steps = stepsToRetry(wf, first.state);
    expect(steps).toEqual(['b', 'c']);
    const reset = applyEvent(wf, first.state, { type: 'steps_reset', steps, at: 100 }, runtime);
    expect(reset.state.status).toBe('running');
    expect(reset.state.error).toBeUndefined();
    expect(reset.commands).toEqual([{ type: 'start_step', key: { step: 'b' }, attempt: 1, timeoutMs: 3_600_000 }]);
    expect(reset.state.steps.get(0)).toBe(first.state.steps.get(0));
    let state = reset.state;
    for (const step of ['b', 'c']) {
      const key = { step };
      state = applyEvent(wf, state, { type: 'step_started', key, attempt: 1, at: 101 }, runtime).state;
      state = applyEvent(
        wf,
        state,
        { type: 'step_finished', key, attempt: 1, at: 102, outcome: succeed() },
        runtime,
      ).state;
    }
    expect(state.status).toBe('succeeded');
    expect(statuses(state, wf)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded', side: 'succeeded' });
  });

  test('counts generations, so attempt numbers that start again stay distinguishable', () => {
    const first = simulate(wf, (key) => (key === 'b' ? fail('broken', false) : succeed()));
    expect(first.state.generation).toBe(0);
    const once = applyEvent(wf, first.state, { type: 'steps_reset', steps: ['b', 'c'], at: 100 }, runtime).state;
    expect(once.generation).toBe(1);
    // Resetting nothing that can be reset (an unknown-to-reset running step) is not a new generation.
    const running = applyEvent(wf, once, { type: 'step_started', key: { step: 'b' }, attempt: 1, at: 101 }, runtime);
    expect(
      applyEvent(wf, running.state, { type: 'steps_reset', steps: ['b'], at: 102 }, runtime).state.generation,
    ).toBe(1);
  });

  test('replaces the run inputs when the reset carries them (dead-letter replay with patched inputs)', () => {
    const first = simulate(wf, (key) => (key === 'b' ? fail('broken', false) : succeed()));
    const inputs = { ...first.state.inputs, patched: true };
    const reset = applyEvent(wf, first.state, { type: 'steps_reset', steps: ['b'], at: 100, inputs }, runtime);
    expect(reset.state.inputs).toEqual(inputs);
    const plain = applyEvent(wf, first.state, { type: 'steps_reset', steps: ['b'], at: 100 }, runtime);
    expect(plain.state.inputs).toBe(first.state.inputs);
  });

  test('--from a step that succeeded re-runs it and everything after it', () => {
    const done = simulate(wf).state;
    expect(stepsToRetry(wf, done, 'b')).toEqual(['b', 'c']);
    expect(stepsToRetry(wf, done)).toEqual([]);
  });
});
