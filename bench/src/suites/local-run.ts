import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadExecutorConfig } from '@flowline/executors';
import { type RunnerDeps, startLocalRun } from '@flowline/runner-local';
import { type Sandbox, createSandbox } from '@flowline/sandbox';
import { FileRunStateStore, FileStepLogStore, FsBlobStore, FsStepCache } from '@flowline/store-fs';
import { type CompiledWorkflow, loadWorkflow } from '@flowline/workflow';

import { summarize } from '../measure.js';
import type { Row } from '../report.js';

const STEPS = 200;
const ROUNDS = 3;
const TARGET_RATIO = 1.3;

/**
 * `flowline run`'s own cost: 200 shell steps of `true`, as a chain and as a
 * 200-wide fan-out, on the real embedded stores with the sandbox off, against
 * the raw floor of 200 bare sequential spawns of `true` in the same run.
 * Then the chain again under bubblewrap, for the per-step sandbox cost.
 * Medians of three runs each.
 */
export async function localRunSuite(): Promise<Row[]> {
  const floor = median(await repeat(() => bareSpawns(STEPS, 'true', [])));
  // What each step itself runs: the language's default shell around `true`.
  const bashFloor = median(await repeat(() => bareSpawns(STEPS, 'bash', ['-e', '-o', 'pipefail', '-c', 'true'])));
  const none = createSandbox({ mode: 'none' }).sandbox;
  const chain = median(await repeat(() => timeRun(chainWorkflow(), none)));
  const fanOut = median(await repeat(() => timeRun(fanOutWorkflow(), none)));
  const bwrap = createSandbox({ mode: 'bwrap', searchPath: process.env['PATH'] }).sandbox;
  const sandboxed = median(await repeat(() => timeRun(chainWorkflow(), bwrap)));
  const perStep = (ms: number) => `${ms.toFixed(0)} ms (${(ms / STEPS).toFixed(2)} ms/step)`;
  const floorText = `${STEPS} bare spawns of true: ${perStep(floor)}`;
  return [
    row(`local run, ${STEPS}-step chain of \`true\`, sandbox off`, chain, floor, floorText, perStep),
    row(
      `local run, ${STEPS}-wide fan-out of \`true\`, sandbox off, --parallel ${availableParallelism()}`,
      fanOut,
      floor,
      floorText,
      perStep,
    ),
    {
      benchmark: `local run, ${STEPS}-step chain: Flowline's own cost per step (chain minus bare spawns of the step's command, \`bash -e -o pipefail -c true\`)`,
      result: `${((chain - bashFloor) / STEPS).toFixed(2)} ms/step`,
      floor: `bare bash spawns: ${perStep(bashFloor)}`,
      ratio: chain / bashFloor,
      target: 'reported',
      met: true,
    },
    {
      benchmark: `local run, ${STEPS}-step chain under bubblewrap (overlay capture per step)`,
      result: perStep(sandboxed),
      floor: `same chain unsandboxed: ${perStep(chain)}`,
      ratio: sandboxed / chain,
      target: `reported: ${((sandboxed - chain) / STEPS).toFixed(2)} ms sandbox cost per step`,
      met: true,
    },
  ];
}

function row(name: string, ms: number, floor: number, floorText: string, perStep: (ms: number) => string): Row {
  return {
    benchmark: name,
    result: perStep(ms),
    floor: floorText,
    ratio: ms / floor,
    target: `ratio ≤ ${TARGET_RATIO}`,
    met: ms / floor <= TARGET_RATIO,
  };
}

async function repeat(measure: () => Promise<number>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push(await measure());
  return times;
}

function median(times: readonly number[]): number {
  return summarize(times).medianMs;
}

async function bareSpawns(count: number, file: string, args: readonly string[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) => {
      spawn(file, args, { stdio: 'ignore' })
        .once('exit', () => resolve())
        .once('error', reject);
    });
  }
  return performance.now() - start;
}

function chainWorkflow(): CompiledWorkflow {
  const steps = Array.from({ length: STEPS }, (_, i) =>
    i === 0
      ? `  - { id: s0, type: shell, run: 'true' }`
      : `  - { id: s${i}, type: shell, needs: [s${i - 1}], run: 'true' }`,
  );
  return compile(`version: 1\nname: chain\nsteps:\n${steps.join('\n')}\n`);
}

function fanOutWorkflow(): CompiledWorkflow {
  const items = JSON.stringify(Array.from({ length: STEPS }, (_, i) => i));
  return compile(`version: 1\nname: fan\nsteps:\n  - { id: each, type: shell, for_each: ${items}, run: 'true' }\n`);
}

function compile(yaml: string): CompiledWorkflow {
  const result = loadWorkflow(yaml, { file: 'bench.yaml' });
  if (!result.ok) throw new Error(`bench workflow is invalid: ${result.diagnostics[0]?.message}`);
  return result.workflow;
}

/** One whole run on fresh stores in a temp directory; milliseconds from start to the final record. */
async function timeRun(workflow: CompiledWorkflow, sandbox: Sandbox): Promise<number> {
  const root = await mkdtemp(join(tmpdir(), 'flowline-bench-'));
  const workspace = join(root, 'ws');
  await mkdir(workspace);
  const stateDir = join(root, 'state');
  const deps: RunnerDeps = {
    runs: new FileRunStateStore(stateDir),
    logs: new FileStepLogStore(stateDir),
    blobs: new FsBlobStore(stateDir),
    cache: new FsStepCache(stateDir),
    sandbox,
    config: loadExecutorConfig({}),
    clock: Date.now,
    tempDir: root,
    warn: () => undefined,
  };
  try {
    const start = performance.now();
    const { record } = await startLocalRun(
      deps,
      { workflow, parallel: availableParallelism(), secrets: {}, exclude: [] },
      { runId: 'bench', inputs: {}, workspace, workflowFile: join(root, 'bench.yaml') },
    );
    if (record.status !== 'succeeded') throw new Error(`bench run ${record.status}`);
    return performance.now() - start;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
