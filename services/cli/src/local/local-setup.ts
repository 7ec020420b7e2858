import { tmpdir } from 'node:os';
import { relative, resolve, sep } from 'node:path';

import { FlowlineError, errorMessage } from '@flowline/core';
import { loadExecutorConfig } from '@flowline/executors';
import type { RunnerDeps } from '@flowline/runner-local';
import { createSandbox } from '@flowline/sandbox';
import { FileRunStateStore, FileStepLogStore, FsBlobStore, FsStepCache } from '@flowline/store-fs';

import type { CliIo } from '../cli-io.js';

/** Where runs and the cache live: --state-dir, else FLOWLINE_STATE_DIR, else ./.flowline. */
export function stateDirOf(value: unknown, io: CliIo): string {
  const given = typeof value === 'string' ? value : io.env['FLOWLINE_STATE_DIR'];
  return resolve(given ?? '.flowline');
}

/** The stores alone: enough for `runs list` and `logs`, which run nothing. */
export function openStores(stateDir: string) {
  return { runs: new FileRunStateStore(stateDir), logs: new FileStepLogStore(stateDir) };
}

/**
 * Everything `run`, `resume` and `retry` need, from the environment, checked
 * once at start: the sandbox (a missing bwrap is an error here, not on the
 * first step), executor settings, and the embedded stores.
 */
export function runnerDeps(io: CliIo, stateDir: string, options: { readonly cache: boolean }): RunnerDeps {
  const warn = (message: string) => io.stderr.write(`flowline: ${message}\n`);
  const { sandbox, warning } = createSandbox({ mode: io.env['FLOWLINE_SANDBOX'], searchPath: io.env['PATH'] });
  if (warning !== undefined) warn(warning);
  return {
    ...openStores(stateDir),
    blobs: new FsBlobStore(stateDir),
    cache: options.cache
      ? new FsStepCache(stateDir, {
          onCorrupt: (key, reason) => warn(`cache entry ${key.slice(0, 12)} is corrupt (${reason}); treated as a miss`),
          onError: (operation, key, error) =>
            warn(`cache ${operation} of ${key.slice(0, 12)} failed (${errorMessage(error)}); carrying on without it`),
        })
      : undefined,
    sandbox,
    config: loadExecutorConfig(io.env),
    clock: Date.now,
    tempDir: io.env['FLOWLINE_TMPDIR'] ?? tmpdir(),
    warn,
  };
}

/** The state directory relative to the workspace when it sits inside it: never captured as a step's change. */
export function excludedPaths(workspace: string, stateDir: string): string[] {
  const inside = relative(workspace, stateDir);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep)) return [];
  return [inside.split(sep).join('/')];
}

/** Declared secrets from the environment. A missing one is an error before anything runs. */
export function secretsFromEnv(names: readonly string[], io: CliIo): Record<string, string> {
  const secrets: Record<string, string> = {};
  const missing = names.filter((name) => io.env[name] === undefined);
  if (missing.length > 0) {
    throw new FlowlineError(
      'missing_secret',
      `the workflow declares secret${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; set ${missing.length > 1 ? 'them' : 'it'} in the environment`,
    );
  }
  for (const name of names) secrets[name] = io.env[name]!;
  return secrets;
}
