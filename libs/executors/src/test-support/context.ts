import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NoSandbox, type Sandbox } from '@flowline/sandbox';

import type { ExecutionContext } from '../executor.js';
import type { ExecutorConfig } from '../executor-config.js';

export interface TestContext extends ExecutionContext {
  readonly logs: { stream: string; text: string }[];
  readonly controller: AbortController;
  cleanup(): Promise<void>;
}

/** A real temp workspace and scratch directory, and a log that records lines. */
export async function testContext(
  options: { sandbox?: Sandbox; secrets?: Record<string, string>; config?: Partial<ExecutorConfig> } = {},
): Promise<TestContext> {
  const root = await mkdtemp(join(tmpdir(), 'flowline-exec-'));
  const workspace = join(root, 'ws');
  const scratchDir = join(root, 'scratch');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(workspace);
  await mkdir(scratchDir);
  const controller = new AbortController();
  const logs: { stream: string; text: string }[] = [];
  return {
    runId: 'run-test',
    workspace,
    scratchDir,
    secrets: options.secrets ?? {},
    signal: controller.signal,
    controller,
    sandbox: options.sandbox ?? new NoSandbox(),
    config: { killGraceMs: 500, sandboxReadable: [], ...options.config } as ExecutorConfig,
    logs,
    log: (stream, text) => logs.push({ stream, text }),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
