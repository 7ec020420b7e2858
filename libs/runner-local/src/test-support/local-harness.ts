import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { loadExecutorConfig } from '@flowline/executors';
import { type Sandbox, createSandbox } from '@flowline/sandbox';
import { FileRunStateStore, FileStepLogStore, FsBlobStore, FsStepCache } from '@flowline/store-fs';
import { type CompiledWorkflow, loadWorkflow } from '@flowline/workflow';

import { type LocalRunOptions, type LocalRunResult, startLocalRun } from '../local-runner.js';
import type { RunnerDeps } from '../runner-deps.js';

/** A temp workspace and state directory with real stores, and helpers to run YAML on them. */
export interface Harness {
  readonly root: string;
  readonly workspace: string;
  readonly stateDir: string;
  readonly warnings: string[];
  deps(options?: { cache?: boolean; sandbox?: Sandbox }): RunnerDeps;
  run(
    yaml: string,
    options?: {
      inputs?: Record<string, unknown>;
      secrets?: Record<string, string>;
      cache?: boolean;
      runId?: string;
      parallel?: number;
    },
  ): Promise<LocalRunResult & { workflow: CompiledWorkflow }>;
  write(path: string, content: string): Promise<void>;
  read(path: string): Promise<string>;
  cleanup(): Promise<void>;
}

export function compile(yaml: string): CompiledWorkflow {
  const result = loadWorkflow(yaml, { file: 'test.yaml' });
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return result.workflow;
}

let counter = 0;

export async function harness(mode: 'bwrap' | 'none' = 'bwrap', env: Record<string, string> = {}): Promise<Harness> {
  const root = await mkdtemp(join(tmpdir(), 'flowline-runner-'));
  const workspace = join(root, 'ws');
  const stateDir = join(root, 'state');
  await mkdir(workspace);
  const warnings: string[] = [];
  const { sandbox: defaultSandbox } = createSandbox({ mode, searchPath: process.env['PATH'] });
  const deps = (options: { cache?: boolean; sandbox?: Sandbox } = {}): RunnerDeps => ({
    runs: new FileRunStateStore(stateDir),
    logs: new FileStepLogStore(stateDir),
    blobs: new FsBlobStore(stateDir),
    cache:
      options.cache === false
        ? undefined
        : new FsStepCache(stateDir, { onCorrupt: (k, r) => warnings.push(`corrupt ${k} ${r}`) }),
    sandbox: options.sandbox ?? defaultSandbox,
    config: loadExecutorConfig({ FLOWLINE_EGRESS_ALLOW: '127.0.0.1', ...env }),
    clock: Date.now,
    tempDir: root,
    warn: (message) => warnings.push(message),
  });
  return {
    root,
    workspace,
    stateDir,
    warnings,
    deps,
    async run(yaml, options = {}) {
      const workflow = compile(yaml);
      const runOptions: LocalRunOptions = {
        workflow,
        parallel: options.parallel ?? 4,
        secrets: options.secrets ?? {},
        exclude: [],
      };
      const runId = options.runId ?? `run-${++counter}`;
      const result = await startLocalRun(deps({ cache: options.cache ?? true }), runOptions, {
        runId,
        inputs: options.inputs ?? {},
        workspace,
        workflowFile: join(root, 'test.yaml'),
      });
      return { ...result, workflow };
    },
    async write(path, content) {
      await mkdir(dirname(join(workspace, path)), { recursive: true });
      await writeFile(join(workspace, path), content);
    },
    read: (path) => readFile(join(workspace, path), 'utf8'),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** Status of every step (and item) by key. */
export function statuses(result: LocalRunResult & { workflow: CompiledWorkflow }): Record<string, string> {
  const out: Record<string, string> = {};
  [...result.workflow.steps.keys()].forEach((id, index) => {
    const step = result.state.steps.get(index);
    out[id] = step.status;
    step.items?.map((work, item) => (out[`${id}[${item}]`] = work.status));
  });
  return out;
}

export function outputsOf(
  result: LocalRunResult & { workflow: CompiledWorkflow },
  id: string,
): Record<string, unknown> {
  const index = [...result.workflow.steps.keys()].indexOf(id);
  return { ...result.state.steps.get(index).outputs };
}
