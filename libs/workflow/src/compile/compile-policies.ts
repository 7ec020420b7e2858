import { parseDuration, parseSize } from '@flowline/core';

import type { PolicyDefinition } from '../definition/workflow-definition.js';
import type { CachePolicy, RetryPolicy, SandboxPolicy } from './compiled-workflow.js';
import { LANGUAGE_DEFAULTS } from './language-defaults.js';

/**
 * A step's effective policies: its own value, else `defaults:`, else the
 * language default, field by field (a step setting `retry.max_attempts`
 * keeps the workflow's `retry.backoff`). Values were validated, so parsing
 * cannot fail here.
 */
export function compilePolicies(step: PolicyDefinition, defaults: PolicyDefinition | undefined) {
  const retry = { ...defaults?.retry, ...step.retry };
  const cache = { ...defaults?.cache, ...step.cache };
  const sandbox = { ...defaults?.sandbox, ...step.sandbox };
  const base = LANGUAGE_DEFAULTS;
  return {
    timeoutMs: ms(step.timeout ?? defaults?.timeout) ?? base.timeoutMs,
    retry: {
      maxAttempts: retry.max_attempts ?? base.retry.maxAttempts,
      backoff: retry.backoff ?? base.retry.backoff,
      initialDelayMs: ms(retry.initial_delay) ?? base.retry.initialDelayMs,
      maxDelayMs: ms(retry.max_delay) ?? base.retry.maxDelayMs,
      jitter: retry.jitter ?? base.retry.jitter,
    } satisfies RetryPolicy,
    cache: {
      enabled: cache.enabled ?? base.cache.enabled,
      ttlMs: ms(cache.ttl) ?? base.cache.ttlMs,
      files: cache.files ?? base.cache.files,
    } satisfies CachePolicy,
    sandbox: withoutUndefined({
      network: sandbox.network ?? base.sandbox.network,
      memoryBytes: bytes(sandbox.memory),
      cpuTimeMs: ms(sandbox.cpu_time),
      maxProcesses: sandbox.max_processes,
      maxFileBytes: bytes(sandbox.max_file_size),
    }) as SandboxPolicy,
    maxOutputBytes: bytes(step.max_output_size ?? defaults?.max_output_size) ?? base.maxOutputBytes,
  };
}

export function ms(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseDuration(text);
}

export function bytes(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseSize(text);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
