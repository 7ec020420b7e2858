import { tmpdir } from 'node:os';

import type { RenderedWebhook } from '@flowline/engine';
import { NoSandbox } from '@flowline/sandbox';

import type { ExecutionContext } from '../../executor.js';
import { parseEgressAllow } from '../egress-policy.js';
import { renderedCommon } from '../../test-support/rendered.js';

export interface WebhookTestContext extends ExecutionContext {
  /** The `system` log lines, in order. */
  readonly logs: string[];
  readonly controller: AbortController;
}

/** A context whose egress policy allows `allow` (FLOWLINE_EGRESS_ALLOW syntax). The webhook needs no workspace. */
export function webhookContext(allow?: string): WebhookTestContext {
  const controller = new AbortController();
  const logs: string[] = [];
  return {
    runId: 'run-test',
    workspace: tmpdir(),
    scratchDir: tmpdir(),
    secrets: {},
    signal: controller.signal,
    controller,
    sandbox: new NoSandbox(),
    // The webhook never reads the claude settings.
    config: { killGraceMs: 1000, egress: parseEgressAllow(allow), claude: undefined as never, sandboxReadable: [] },
    logs,
    log: (_stream, text) => logs.push(text),
  };
}

/** A rendered webhook step with the language defaults (POST, no body, any 2xx, 1 MiB). */
export function webhookStep(url: string, fields: Partial<RenderedWebhook> = {}): RenderedWebhook {
  return {
    type: 'webhook',
    ...renderedCommon('hook', 10_000),
    url,
    method: 'POST',
    headers: {},
    body: undefined,
    expectStatus: undefined,
    maxResponseBytes: 1024 * 1024,
    ...fields,
  };
}
