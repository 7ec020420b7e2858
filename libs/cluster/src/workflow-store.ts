import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ValidationError, formatDiagnostic } from '@flowline/core';
import type { BlobStore } from '@flowline/ports';
import { type CompiledWorkflow, type WorkflowBundle, loadWorkflowBundle } from '@flowline/workflow';

type Stored = { readonly source: string; readonly workflow: CompiledWorkflow };

/**
 * Workflows by the digest of their stored bundle: the coordinator puts the
 * bundle a run starts with, every worker compiles that same bundle. Compiled
 * workflows are kept in memory, since a worker runs many steps of one, and
 * a coordinator many runs of one: runs of the same bundle share one
 * compiled workflow (the load benchmark's 5,000 runs held 5,000 copies).
 */
export class WorkflowStore {
  private readonly compiled = new Map<string, Promise<CompiledWorkflow>>();
  /** Bundles this store has put, by the SHA-256 of their text: compiled and stored once. */
  private readonly stored = new Map<string, Promise<Stored>>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly tempDir: string,
  ) {}

  /**
   * Validates and stores a bundle, once per distinct bundle (concurrent puts
   * of one bundle share the work). An invalid workflow is a ValidationError
   * listing every diagnostic; a failure is not remembered.
   */
  put(bundle: WorkflowBundle): Promise<Stored> {
    const text = JSON.stringify(bundle);
    const key = createHash('sha256').update(text).digest('hex');
    let stored = this.stored.get(key);
    if (stored === undefined) {
      stored = this.store(bundle, text);
      stored.catch(() => this.stored.delete(key));
      this.stored.set(key, stored);
    }
    return stored;
  }

  private async store(bundle: WorkflowBundle, text: string): Promise<Stored> {
    const workflow = compile(bundle);
    const source = await this.withTemp(async (file) => {
      await writeFile(file, text);
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
