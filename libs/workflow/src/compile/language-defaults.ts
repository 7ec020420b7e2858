import type { CachePolicy, RetryPolicy, SandboxPolicy } from './compiled-workflow.js';

/**
 * What a workflow gets for every setting it leaves out. Documented in
 * docs/workflow-language.md ("Defaults"); change both together.
 */
export const LANGUAGE_DEFAULTS = {
  /** Long enough for an agent step; short enough that a hung step is noticed. */
  timeoutMs: 60 * 60 * 1000,
  retry: {
    maxAttempts: 1,
    backoff: 'exponential',
    initialDelayMs: 1000,
    maxDelayMs: 60_000,
    jitter: true,
  } satisfies RetryPolicy,
  cache: { enabled: false, ttlMs: 7 * 24 * 60 * 60 * 1000, files: [] } satisfies CachePolicy,
  sandbox: { network: false } satisfies SandboxPolicy,
  maxOutputBytes: 1024 * 1024,
  maxResponseBytes: 1024 * 1024,
  shell: ['bash', '-e', '-o', 'pipefail'],
  profile: 'read-only',
  priority: 5,
  concurrencyLimit: 1,
} as const;
