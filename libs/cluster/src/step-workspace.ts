import { mkdir, readFile } from 'node:fs/promises';

import type { RunState, WorkState } from '@flowline/engine';
import type { BlobStore, ChangeSet } from '@flowline/ports';
import type { CompiledWorkflow } from '@flowline/workflow';
import { applyChangeSet } from '@flowline/workspace';

/**
 * Rebuilds a step's input workspace on any machine: an empty directory,
 * then the change set of every ancestor that committed one, in topological
 * order (a fan-out's items in item order). Ancestors that ran side by side
 * and touched the same file were already refused by the conflict check.
 */
export async function materializeWorkspace(
  dir: string,
  workflow: CompiledWorkflow,
  state: RunState,
  stepId: string,
  blobs: BlobStore,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const ids = [...workflow.steps.keys()];
  for (const ancestor of workflow.dag.ancestors(stepId)) {
    const step = state.steps.get(ids.indexOf(ancestor));
    const units: readonly WorkState[] = step.items?.map((item) => item) ?? [step];
    for (const unit of units) {
      if (unit.status === 'succeeded' && unit.changes !== undefined) {
        await applyChangeSet(dir, await readChangeSet(blobs, unit.changes, `${dir}.changes.json`), blobs);
      }
    }
  }
}

async function readChangeSet(blobs: BlobStore, digest: string, file: string): Promise<ChangeSet> {
  await blobs.getFile(digest, file, 0o600);
  return JSON.parse(await readFile(file, 'utf8')) as ChangeSet;
}
