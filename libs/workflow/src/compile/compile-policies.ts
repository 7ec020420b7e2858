import { parseDuration, parseSize } from '@flowline/core';

import type { PolicyDefinition } from '../definition/workflow-definition.js';
import type { CachePolicy, RetryPolicy, SandboxPolicy } from './compiled-workflow.js';
import { LANGUAGE_DEFAULTS } from './language-defaults.js';

/** A step's effective timeout, retry, cache, sandbox and output cap. */
export interface Policies {
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly cache: CachePolicy;
  readonly sandbox: SandboxPolicy;
  readonly maxOutputBytes: number;
}

/**
 * A step's effective policies: its own value, else `defaults:`, else the
 * language default, field by field (a step setting `retry.max_attempts`
 * keeps the workflow's `retry.backoff`). `defaults:` is compiled once, and a
 * step that sets nothing of its own shares those frozen objects, as most
 * steps do. Values were validated, so parsing cannot fail here.
 */
export class PolicyCompiler {
  private readonly inherited: Policies;

  constructor(private readonly defaults: PolicyDefinition | undefined) {
    this.inherited = merge(defaults, undefined);
  }

  forStep(step: PolicyDefinition): Policies {
    const d = this.defaults;
    const base = this.inherited;
    return {
      timeoutMs: step.timeout === undefined ? base.timeoutMs : ms(step.timeout)!,
      retry: step.retry === undefined ? base.retry : merge(d, step).retry,
      cache: step.cache === undefined ? base.cache : merge(d, step).cache,
      sandbox: step.sandbox === undefined ? base.sandbox : merge(d, step).sandbox,
      maxOutputBytes: step.max_output_size === undefined ? base.maxOutputBytes : bytes(step.max_output_size)!,
    };
  }
}

function merge(defaults: PolicyDefinition | undefined, step: PolicyDefinition | undefined): Policies {
  const retry = { ...defaults?.retry, ...step?.retry };
  const cache = { ...defaults?.cache, ...step?.cache };
  const sandbox = { ...defaults?.sandbox, ...step?.sandbox };
  const base = LANGUAGE_DEFAULTS;
  return {
    timeoutMs: ms(step?.timeout ?? defaults?.timeout) ?? base.timeoutMs,
    retry: Object.freeze({
      maxAttempts: retry.max_attempts ?? base.retry.maxAttempts,
      backoff: retry.backoff ?? base.retry.backoff,
      initialDelayMs: ms(retry.initial_delay) ?? base.retry.initialDelayMs,
      maxDelayMs: ms(retry.max_delay) ?? base.retry.maxDelayMs,
      jitter: retry.jitter ?? base.retry.jitter,
    }),
    cache: Object.freeze({
      enabled: cache.enabled ?? base.cache.enabled,
      ttlMs: ms(cache.ttl) ?? base.cache.ttlMs,
      files: Object.freeze([...(cache.files ?? base.cache.files)]),
    }),
    sandbox: Object.freeze(
      withoutUndefined({
        network: sandbox.network ?? base.sandbox.network,
        memoryBytes: bytes(sandbox.memory),
        cpuTimeMs: ms(sandbox.cpu_time),
        maxProcesses: sandbox.max_processes,
        maxFileBytes: bytes(sandbox.max_file_size),
      }),
    ),
    maxOutputBytes: bytes(step?.max_output_size ?? defaults?.max_output_size) ?? base.maxOutputBytes,
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
