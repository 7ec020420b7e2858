import { canonicalJson, sha256Hex } from '@flowline/core';
import type { RenderedStep } from '@flowline/engine';
import type { CachePolicy } from '@flowline/workflow';
import { digestFiles } from '@flowline/workspace';

/**
 * The step cache key (DESIGN §2): SHA-256 of the canonical JSON of the
 * step's type, its rendered configuration (env values included), the
 * digests of its `cache.files` in the workspace it would run on, and the
 * executor's version. Left out: which step, item and attempt it is, and its
 * timeout — none of them changes what the step produces — and secrets,
 * whose values must not shape a key that outlives them.
 */
export async function cacheKeyFor(
  step: RenderedStep,
  policy: CachePolicy,
  workspace: string,
  executorVersion: string,
): Promise<string> {
  const { id: _id, key: _key, attempt: _attempt, timeoutMs: _timeoutMs, ...config } = step;
  const files = policy.files.length === 0 ? {} : await digestFiles(workspace, policy.files);
  return sha256Hex(canonicalJson({ type: step.type, config, files, executorVersion }));
}
