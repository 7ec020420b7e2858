import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { FlowlineError, type SecretMasker, errorMessage, formatBytes } from '@flowline/core';
import type { RenderedStep, StepOutcome } from '@flowline/engine';
import { type ExecutedStepType, executorFor } from '@flowline/executors';
import type { BlobStore, ChangeSet } from '@flowline/ports';
import type { CompiledStep } from '@flowline/workflow';
import { applyChangeSet, changesFromOverlay, changesFromSnapshots, snapshotTree } from '@flowline/workspace';

import type { AttemptDirectories } from './attempt-dirs.js';
import { cacheKeyFor } from './cache-key.js';
import type { LogWriter } from './log-writer.js';
import type { RunnerDeps } from './runner-deps.js';
import type { WorkspaceLock } from './workspace-lock.js';

/** Step types whose executor may change files: only these are captured. */
const CHANGES_FILES: ReadonlySet<string> = new Set(['shell', 'claude_code', 'template']);

export interface AttemptInput {
  readonly runId: string;
  readonly step: CompiledStep;
  readonly rendered: RenderedStep & { readonly type: ExecutedStepType };
  readonly workspace: string;
  /** Path prefixes inside the workspace that are never captured (the state directory). */
  readonly exclude: readonly string[];
  readonly secrets: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly log: LogWriter;
  readonly masker: SecretMasker;
  readonly lock: WorkspaceLock;
  readonly dirs: AttemptDirectories;
}

/**
 * One attempt, from cache lookup to committed changes: a cache hit restores
 * the outputs and file changes and skips the work; otherwise the executor
 * runs with its writes captured, and only a successful attempt's changes
 * reach the workspace (and the cache). `files_changed` lists them.
 */
export async function runAttempt(deps: RunnerDeps, input: AttemptInput): Promise<StepOutcome> {
  const executor = deps.executorFor?.(input.rendered) ?? executorFor(input.rendered.type);
  const cacheKey = await cacheKeyOf(deps, input, executor.version);
  if (cacheKey !== undefined) {
    const hit = await restoreFromCache(deps, input, cacheKey);
    if (hit !== undefined) return hit;
  }
  const capturing = CHANGES_FILES.has(input.rendered.type);
  const overlay = capturing && deps.sandbox.capturesChanges;
  const [dirs, before] = await Promise.all([
    input.dirs.make(overlay),
    capturing && !overlay ? snapshotTree(input.workspace, input) : undefined,
  ]);
  try {
    const outcome = await executor.execute(input.rendered, {
      runId: input.runId,
      workspace: input.workspace,
      scratchDir: dirs.scratchDir,
      secrets: input.secrets,
      signal: input.signal,
      sandbox: deps.sandbox,
      config: deps.config,
      log: (stream, text) => input.log.write(stream, text),
      ...(dirs.capture === undefined ? {} : { capture: dirs.capture }),
    });
    if (!outcome.ok || !capturing) return finalOutputs(input, outcome, undefined);
    const changes =
      dirs.capture === undefined
        ? await changesFromSnapshots(input.workspace, before!, await snapshotTree(input.workspace, input), deps.blobs)
        : await input.lock.run(() => commitOverlay(deps, input, dirs.capture!.upperDir));
    const final = finalOutputs(input, outcome, changes);
    if (!final.ok) return final;
    if (cacheKey !== undefined) await storeInCache(deps, input, cacheKey, final.outputs, changes);
    if (changes.entries.length === 0) return final;
    return { ...final, changes: await storeChangeSet(deps.blobs, dirs.scratchDir, changes) };
  } finally {
    await dirs.release();
  }
}

/** Keeps a change set as a blob, so another machine can rebuild the workspace this attempt left. */
async function storeChangeSet(blobs: BlobStore, scratchDir: string, changes: ChangeSet): Promise<string> {
  const file = join(scratchDir, 'changes.json');
  await writeFile(file, JSON.stringify(changes));
  return (await blobs.putFile(file)).digest;
}

async function commitOverlay(deps: RunnerDeps, input: AttemptInput, upperDir: string): Promise<ChangeSet> {
  const changes = await changesFromOverlay(upperDir, input.workspace, deps.blobs, input);
  await applyChangeSet(input.workspace, changes, deps.blobs);
  return changes;
}

async function cacheKeyOf(deps: RunnerDeps, input: AttemptInput, version: string): Promise<string | undefined> {
  if (deps.cache === undefined || !input.step.cache.enabled) return undefined;
  return cacheKeyFor(input.rendered, input.step.cache, input.workspace, version);
}

async function restoreFromCache(deps: RunnerDeps, input: AttemptInput, key: string): Promise<StepOutcome | undefined> {
  const entry = await deps.cache!.get(key, deps.clock());
  if (entry === undefined) return undefined;
  try {
    await input.lock.run(() => applyChangeSet(input.workspace, entry.changes, deps.blobs));
  } catch (error) {
    deps.warn(`cache entry ${key.slice(0, 12)} could not be restored (${errorMessage(error)}); running the step`);
    return undefined;
  }
  input.log.write('system', `cache hit ${key.slice(0, 12)}\n`);
  const hit = { ok: true as const, outputs: entry.outputs, cacheHit: true };
  if (entry.changes.entries.length === 0) return hit;
  const dirs = await input.dirs.make(false);
  return { ...hit, changes: await storeChangeSet(deps.blobs, dirs.scratchDir, entry.changes) };
}

async function storeInCache(
  deps: RunnerDeps,
  input: AttemptInput,
  key: string,
  outputs: Readonly<Record<string, unknown>>,
  changes: ChangeSet,
): Promise<void> {
  const now = deps.clock();
  await deps.cache!.put({
    key,
    stepType: input.rendered.type,
    outputs,
    changes,
    createdAt: now,
    expiresAt: now + input.step.cache.ttlMs,
  });
}

/**
 * Masks secrets in what the attempt produced, adds `files_changed`, and
 * enforces the step's output cap: past it the step fails, not retryable,
 * naming the size — outputs are never cut silently.
 */
function finalOutputs(input: AttemptInput, outcome: StepOutcome, changes: ChangeSet | undefined): StepOutcome {
  const masked = input.masker.value(outcome);
  if (!masked.ok) return masked;
  const changed = changes?.entries.filter((entry) => entry.kind !== 'dir').map((entry) => entry.path);
  const files = changed === undefined ? {} : { files_changed: changed };
  const outputs = { ...masked.outputs, ...files };
  const size = Buffer.byteLength(JSON.stringify(outputs));
  if (size > input.rendered.maxOutputBytes) {
    const error = new FlowlineError(
      'output_too_large',
      `outputs are ${formatBytes(size)}, over the step's cap of ${formatBytes(input.rendered.maxOutputBytes)}`,
    );
    return { ok: false, error: { code: error.code, message: error.message, retryable: false } };
  }
  return { ...masked, outputs };
}
