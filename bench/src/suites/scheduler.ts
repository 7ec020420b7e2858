import { type EngineCommand, type EngineEvent, type RunState, applyEvent, startRun } from '@flowline/engine';
import { type CompiledWorkflow, DEFAULT_SOURCE_LIMITS, loadWorkflow } from '@flowline/workflow';

import { generateWorkflow } from '../generate-workflow.js';
import { summarize } from '../measure.js';
import type { Row } from '../report.js';

const STEPS = 10_000;
const TARGET_EVENTS_PER_SECOND = 100_000;

/**
 * The scheduler alone: a 10,000-step DAG (the compile benchmark's generator:
 * fan-in of one to three needs, conditionals decided inline) driven to the
 * end by an in-memory loop that answers every start with started and
 * finished events. Counts events applied per second, immutable states and all.
 */
export function schedulerSuite(): Row[] {
  const workflow = compileLarge();
  const runs = Array.from({ length: 5 }, () => driveToEnd(workflow));
  const rate = summarize(runs.map((r) => r.eventsPerSecond)).medianMs;
  const { events, steps } = runs[0]!;
  return [
    {
      benchmark: `scheduler alone: ${STEPS.toLocaleString('en')}-step DAG driven to the end, ${events.toLocaleString('en')} events (${steps.toLocaleString('en')} steps run by executors, the other ${(STEPS - steps).toLocaleString('en')} conditionals decided inline), median of 5`,
      result: `${Math.round(rate).toLocaleString('en')} events/s (${(1e6 / rate).toFixed(1)} µs each)`,
      target: `≥ ${TARGET_EVENTS_PER_SECOND.toLocaleString('en')} events/s`,
      met: rate >= TARGET_EVENTS_PER_SECOND,
    },
  ];
}

function compileLarge(): CompiledWorkflow {
  const result = loadWorkflow(generateWorkflow(STEPS), {
    file: 'generated.yaml',
    limits: { ...DEFAULT_SOURCE_LIMITS, maxBytes: 8 * 1024 * 1024 },
  });
  if (!result.ok) throw new Error(`generated workflow is invalid: ${result.diagnostics[0]?.message}`);
  return result.workflow;
}

function driveToEnd(workflow: CompiledWorkflow): { eventsPerSecond: number; events: number; steps: number } {
  const runtime = { secrets: {} };
  const start = performance.now();
  const first = startRun(workflow, { runId: 'bench', inputs: {}, at: 0 }, runtime);
  let state: RunState = first.state;
  const queue: EngineCommand[] = [...first.commands];
  let events = 0;
  let steps = 0;
  let time = 0;
  const apply = (event: EngineEvent) => {
    const decision = applyEvent(workflow, state, event, runtime);
    state = decision.state;
    for (const command of decision.commands) queue.push(command);
    events += 1;
  };
  for (let head = 0; head < queue.length; head++) {
    const command = queue[head]!;
    if (command.type !== 'start_step') continue;
    steps += 1;
    apply({ type: 'step_started', key: command.key, attempt: command.attempt, at: ++time });
    apply({
      type: 'step_finished',
      key: command.key,
      attempt: command.attempt,
      at: ++time,
      outcome: { ok: true, outputs: { value: 90 } },
    });
  }
  const elapsed = performance.now() - start;
  if (state.status !== 'succeeded') throw new Error(`bench run ended ${state.status}: ${state.error?.message}`);
  return { eventsPerSecond: (events / elapsed) * 1000, events, steps };
}
