import type { TriggerRule } from '@flowline/core';
import { describe, expect, test } from '@jest/globals';
import type { CompiledWorkflow } from '@flowline/workflow';
import fc from 'fast-check';

import { stableRandom } from './backoff.js';
import type { EngineCommand } from './commands.js';
import type { EngineEvent, StepOutcome } from './events.js';
import { type RunState, type StepStatus, isTerminal } from './run-state.js';
import { applyEvent, startRun } from './scheduler.js';
import { formatStepKey } from './step-key.js';
import { workflow } from './test-support/simulate.js';

/**
 * Random workflows (needs, trigger rules, continue_on_error, retries,
 * conditionals, if, for_each) run against random outcomes delivered in
 * random orders, with duplicates and the odd cancel. Checked against
 * independent rules, not against the scheduler's own code.
 */
interface StepSpec {
  readonly needs: number[];
  readonly rule: TriggerRule;
  readonly continueOnError: boolean;
  readonly maxAttempts: number;
  readonly kind: 'shell' | 'conditional' | 'fan' | 'if-false';
  readonly branch: { then: number[]; else: number[] };
  readonly condition: boolean;
}

const RULES: TriggerRule[] = ['all_success', 'all_done', 'none_failed', 'one_failed'];

const spec = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.array(
    fc.record({
      needs: fc.array(fc.nat(n), { maxLength: 3 }),
      rule: fc.constantFrom(...RULES),
      continueOnError: fc.boolean(),
      maxAttempts: fc.integer({ min: 1, max: 3 }),
      kind: fc.constantFrom<StepSpec['kind']>('shell', 'shell', 'shell', 'conditional', 'fan', 'if-false'),
      targets: fc.array(fc.nat(n), { maxLength: 2 }),
      condition: fc.boolean(),
    }),
    { minLength: n, maxLength: n },
  ),
);

function toSpecs(
  raw: readonly {
    needs: number[];
    targets: number[];
    kind: StepSpec['kind'];
    rule: TriggerRule;
    continueOnError: boolean;
    maxAttempts: number;
    condition: boolean;
  }[],
): StepSpec[] {
  const branchTaken = new Set<number>();
  return raw.map((r, i) => {
    const earlier = [...new Set(r.needs.filter((n) => n < i))];
    const later = [...new Set(r.targets.filter((t) => t > i && t < raw.length && !branchTaken.has(t)))];
    later.forEach((t) => branchTaken.add(t));
    const half = Math.ceil(later.length / 2);
    return {
      needs: earlier,
      rule: r.rule,
      continueOnError: r.continueOnError,
      maxAttempts: r.maxAttempts,
      kind: r.kind === 'conditional' && later.length === 0 ? 'shell' : r.kind,
      branch: { then: later.slice(0, half), else: later.slice(half) },
      condition: r.condition,
    };
  });
}

function yamlOf(specs: readonly StepSpec[]): string {
  const lines = ['name: random', 'steps:'];
  specs.forEach((s, i) => {
    lines.push(`  - id: s${i}`);
    lines.push(`    trigger_rule: ${s.rule}`);
    if (s.needs.length > 0) lines.push(`    needs: [${s.needs.map((n) => `s${n}`).join(', ')}]`);
    if (s.kind === 'conditional') {
      lines.push('    type: conditional', `    condition: "${s.condition}"`);
      if (s.branch.then.length > 0) lines.push(`    then: [${s.branch.then.map((n) => `s${n}`).join(', ')}]`);
      if (s.branch.else.length > 0) lines.push(`    else: [${s.branch.else.map((n) => `s${n}`).join(', ')}]`);
      return;
    }
    lines.push('    type: shell', '    run: "true"', `    continue_on_error: ${s.continueOnError}`);
    lines.push(`    retry: { max_attempts: ${s.maxAttempts}, initial_delay: 10ms, max_delay: 50ms }`);
    if (s.kind === 'fan') lines.push('    for_each: [a, b, c]', '    max_parallel: 2');
    if (s.kind === 'if-false') lines.push('    if: "false"');
  });
  return `${lines.join('\n')}\n`;
}

/** An executor whose answer is fixed by the seed, key and attempt. */
function outcomeFor(seed: number, key: string, attempt: number): StepOutcome {
  const r = stableRandom(`${seed}/${key}/${attempt}`);
  if (r < 0.6) return { ok: true, outputs: { key } };
  return { ok: false, error: { code: 'exit_code', message: `${key} failed`, retryable: r < 0.85 } };
}

interface Run {
  readonly state: RunState;
  readonly events: EngineEvent[];
  /** [command, the state it was decided in, the state after] for every start. */
  readonly starts: { command: Extract<EngineCommand, { type: 'start_step' }>; after: RunState }[];
}

/** Delivers events in an order chosen by `choices`, duplicating some and cancelling at most once. */
function drive(wf: CompiledWorkflow, seed: number, choices: readonly number[], cancelAt: number | undefined): Run {
  const runtime = { secrets: {} };
  const first = startRun(wf, { runId: `run-${seed}`, inputs: {}, at: 0 }, runtime);
  let state = first.state;
  const events: EngineEvent[] = [];
  const starts: Run['starts'] = [];
  const inFlight: EngineEvent[] = [];
  let time = 0;
  const take = (commands: readonly EngineCommand[]) => {
    for (const c of commands) {
      if (c.type === 'start_step') {
        starts.push({ command: c, after: state });
        inFlight.push({
          type: 'step_finished',
          key: c.key,
          attempt: c.attempt,
          at: 0,
          outcome: outcomeFor(seed, formatStepKey(c.key), c.attempt),
        });
      } else if (c.type === 'schedule_retry') {
        inFlight.push({ type: 'retry_due', key: c.key, attempt: c.attempt, at: 0 });
      }
    }
  };
  take(first.commands);
  let choice = 0;
  while (inFlight.length > 0 && events.length < 5000) {
    const pick = (choices[choice++ % Math.max(1, choices.length)] ?? 0) % inFlight.length;
    const event = { ...inFlight.splice(pick, 1)[0]!, at: ++time } as EngineEvent;
    const deliveries =
      events.length === cancelAt ? [{ type: 'run_cancelled', at: time } as EngineEvent, event] : [event];
    if (choices[choice % Math.max(1, choices.length)]! % 5 === 0) deliveries.push(event); // a duplicate delivery
    for (const e of deliveries) {
      events.push(e);
      const decision = applyEvent(wf, state, e, runtime);
      state = decision.state;
      take(decision.commands);
    }
  }
  return { state, events, starts };
}

/** The trigger rules as the design states them, written independently of the scheduler. */
function allowedToStart(rule: TriggerRule, needs: readonly StepStatus[], tolerant: readonly boolean[]): boolean {
  const failed = needs.map((s, i) => (s === 'failed' && !tolerant[i]) || s === 'upstream_failed' || s === 'cancelled');
  const succeeded = needs.map((s, i) => s === 'succeeded' || (s === 'failed' && tolerant[i]!));
  const done = needs.every((s) => isTerminal(s));
  switch (rule) {
    case 'all_success':
      return succeeded.every(Boolean);
    case 'all_done':
      return done;
    case 'none_failed':
      return done && !failed.some(Boolean);
    case 'one_failed':
      return failed.some(Boolean);
  }
}

const scenario = fc.record({
  raw: spec,
  seed: fc.nat(),
  choices: fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }),
  cancelAt: fc.option(fc.nat(30), { nil: undefined }),
});

describe('the scheduler on random workflows and random outcomes', () => {
  test('every run ends, and every step ends in exactly one terminal state', () => {
    fc.assert(
      fc.property(scenario, ({ raw, seed, choices, cancelAt }) => {
        const wf = workflow(yamlOf(toSpecs(raw)));
        const { state } = drive(wf, seed, choices, cancelAt);
        expect(state.status).not.toBe('running');
        expect(state.open).toBe(0);
        for (let i = 0; i < state.steps.length; i++) {
          const step = state.steps.get(i);
          expect(isTerminal(step.status)).toBe(true);
          step.items?.toArray().forEach((item) => expect(isTerminal(item.status)).toBe(true));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('no step starts before its needs allow it, nor after it ended, nor in a branch not taken', () => {
    fc.assert(
      fc.property(scenario, ({ raw, seed, choices, cancelAt }) => {
        const wf = workflow(yamlOf(toSpecs(raw)));
        const steps = [...wf.steps.values()];
        const { starts } = drive(wf, seed, choices, cancelAt);
        for (const { command, after } of starts) {
          const index = steps.findIndex((s) => s.id === command.key.step);
          const step = steps[index]!;
          if (command.attempt > 1 || command.key.item !== undefined) continue; // retries and items follow their step
          const needs = step.needs.map((id) => after.steps.get(steps.findIndex((s) => s.id === id)).status);
          const tolerant = step.needs.map((id) => steps.find((s) => s.id === id)!.continueOnError);
          expect({ step: step.id, allowed: allowedToStart(step.triggerRule, needs, tolerant) }).toEqual({
            step: step.id,
            allowed: true,
          });
          for (const { conditional, branch } of step.branches) {
            const decider = after.steps.get(steps.findIndex((s) => s.id === conditional));
            if (decider.status === 'succeeded') expect(decider.outputs?.['branch']).toBe(branch);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test('retries never exceed max_attempts, and each attempt starts once', () => {
    fc.assert(
      fc.property(scenario, ({ raw, seed, choices, cancelAt }) => {
        const wf = workflow(yamlOf(toSpecs(raw)));
        const { starts } = drive(wf, seed, choices, cancelAt);
        const seen = new Set<string>();
        for (const { command } of starts) {
          const key = `${formatStepKey(command.key)}#${command.attempt}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
          expect(command.attempt).toBeLessThanOrEqual(wf.steps.get(command.key.step)!.retry.maxAttempts);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('the same events always give the same state', () => {
    fc.assert(
      fc.property(scenario, ({ raw, seed, choices, cancelAt }) => {
        const wf = workflow(yamlOf(toSpecs(raw)));
        const run = drive(wf, seed, choices, cancelAt);
        const runtime = { secrets: {} };
        let replayed = startRun(wf, { runId: `run-${seed}`, inputs: {}, at: 0 }, runtime).state;
        for (const event of run.events) replayed = applyEvent(wf, replayed, event, runtime).state;
        expect(replayed).toEqual(run.state);
      }),
      { numRuns: 200 },
    );
  });
});
