import { lstatSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { FlowlineError, errorMessage } from '@flowline/core';

import { type PlanResult, runPlan } from './run-plan.js';
import type { ChangeCapture, Sandbox } from './sandbox.js';

export interface CheckSandboxOptions {
  /** An existing directory on the filesystem the workspaces live on; the probe works in a fresh directory inside it and removes it. */
  readonly scratchDir: string;
  /** Also check change capture: an overlay over the workspace that keeps the step's writes apart. */
  readonly capture?: boolean;
  readonly timeoutMs?: number;
}

/** Writes `probe` and deletes `kept`: one write and one whiteout, the two things capture must record. */
const PROBE_SCRIPT = 'echo probe > probe && rm kept';

/**
 * Runs one tiny step through `sandbox` (and, when asked, one more with
 * change capture) and checks what it did to the file system, so a driver
 * fails at start-up with one clear line instead of on every step: a bwrap
 * that may not create namespaces is `sandbox_unavailable`; an overlay that
 * may not be mounted (not root) is `change_capture_unavailable`.
 */
export async function checkSandbox(sandbox: Sandbox, options: CheckSandboxOptions): Promise<void> {
  const dir = await mkdtemp(join(options.scratchDir, '.flowline-sandbox-probe-'));
  try {
    await probeRun(sandbox, dir, options.timeoutMs ?? 10_000);
    if (options.capture === true) await probeCapture(sandbox, dir, options.timeoutMs ?? 10_000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function probeRun(sandbox: Sandbox, dir: string, timeoutMs: number): Promise<void> {
  const workspace = await probeWorkspace(join(dir, 'plain'));
  const result = await runProbe(sandbox, workspace, undefined, timeoutMs);
  if (result.exitCode === 0 && exists(join(workspace, 'probe')) && !exists(join(workspace, 'kept'))) return;
  const message = `the ${sandbox.kind} sandbox cannot run a step here: ${why(result)}`;
  throw new FlowlineError('sandbox_unavailable', `${message}; set FLOWLINE_SANDBOX=none to run steps unsandboxed`);
}

async function probeCapture(sandbox: Sandbox, dir: string, timeoutMs: number): Promise<void> {
  if (!sandbox.capturesChanges) {
    throw new FlowlineError('change_capture_unavailable', `the ${sandbox.kind} sandbox does not capture changes`);
  }
  const workspace = await probeWorkspace(join(dir, 'captured'));
  const capture = { upperDir: join(dir, 'upper'), workDir: join(dir, 'work') };
  await Promise.all([mkdir(capture.upperDir), mkdir(capture.workDir)]);
  const result = await runProbe(sandbox, workspace, capture, timeoutMs);
  if (result.exitCode === 0 && captured(workspace, capture)) return;
  const message = `change capture (an overlay mount over the workspace) does not work here: ${why(result)}`;
  throw new FlowlineError('change_capture_unavailable', `${message}; it needs root`);
}

async function probeWorkspace(path: string): Promise<string> {
  await mkdir(path);
  await writeFile(join(path, 'kept'), 'lower\n');
  return path;
}

async function runProbe(
  sandbox: Sandbox,
  workspace: string,
  capture: ChangeCapture | undefined,
  timeoutMs: number,
): Promise<PlanResult> {
  const plan = sandbox.launch({
    argv: ['sh', '-c', PROBE_SCRIPT],
    workspace,
    cwd: workspace,
    env: { PATH: '/usr/bin:/bin' },
    network: false,
    limits: {},
    ...(capture === undefined ? {} : { capture }),
  });
  // Could not even spawn (ENOENT…): reported like a failed run, with the reason as its stderr.
  const spawnFailed = (error: unknown): PlanResult => ({
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: errorMessage(error),
  });
  return runPlan(plan, timeoutMs).catch(spawnFailed);
}

/** The write and the whiteout are in the upper directory, and the workspace is as it was. */
function captured(workspace: string, capture: ChangeCapture): boolean {
  const whiteout = statOrUndefined(join(capture.upperDir, 'kept'));
  const isWhiteout = whiteout?.isCharacterDevice() === true && whiteout.rdev === 0;
  return (
    isWhiteout &&
    exists(join(capture.upperDir, 'probe')) &&
    exists(join(workspace, 'kept')) &&
    !exists(join(workspace, 'probe'))
  );
}

function why(result: PlanResult): string {
  const firstLine = result.stderr.trim().split('\n')[0] ?? '';
  if (firstLine !== '') return firstLine;
  if (result.signal !== null) return `killed by ${result.signal}`;
  if (result.exitCode !== 0) return `exit status ${String(result.exitCode)}`;
  return 'the probe step ran, but its writes did not land where they should';
}

function exists(path: string): boolean {
  return statOrUndefined(path) !== undefined;
}

function statOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}
