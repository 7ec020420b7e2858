import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ValidationError, formatDiagnostic } from '@flowline/core';
import type { BlobStore } from '@flowline/ports';
import { type CompiledWorkflow, type WorkflowBundle, loadWorkflowBundle } from '@flowline/workflow';

/**
 * Workflows by the digest of their stored bundle: the coordinator puts the
 * bundle a run starts with, every worker compiles that same bundle. Compiled
 * workflows are kept in memory, since a worker runs many steps of one.
 */
export class WorkflowStore {
  private readonly compiled = new Map<string, Promise<CompiledWorkflow>>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly tempDir: string,
  ) {}

  /** Validates and stores a bundle. An invalid workflow is a ValidationError listing every diagnostic. */
  async put(bundle: WorkflowBundle): Promise<{ readonly source: string; readonly workflow: CompiledWorkflow }> {
    const workflow = compile(bundle);
    const source = await this.withTemp(async (file) => {
      await writeFile(file, JSON.stringify(bundle));
      return (await this.blobs.putFile(file)).digest;
    });
    this.compiled.set(source, Promise.resolve(workflow));
    return { source, workflow };
  }

  get(source: string): Promise<CompiledWorkflow> {
    let workflow = this.compiled.get(source);
    if (workflow === undefined) {
      workflow = this.withTemp(async (file) => {
        await this.blobs.getFile(source, file, 0o600);
        return compile(JSON.parse(await readFile(file, 'utf8')) as WorkflowBundle);
      });
      workflow.catch(() => this.compiled.delete(source));
      this.compiled.set(source, workflow);
    }
    return workflow;
  }

  private async withTemp<T>(use: (file: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(this.tempDir, 'flowline-wf-'));
    try {
      return await use(join(dir, 'bundle.json'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

function compile(bundle: WorkflowBundle): CompiledWorkflow {
  const result = loadWorkflowBundle(bundle);
  if (result.ok) return result.workflow;
  const diagnostics = result.diagnostics.map((d) => formatDiagnostic(d));
  throw new ValidationError('invalid_workflow', diagnostics.join('\n'), { diagnostics });
}
