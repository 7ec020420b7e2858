import type { RenderedShell } from '@flowline/engine';
import { LANGUAGE_DEFAULTS } from '@flowline/workflow';

/** A rendered shell step with the language defaults. */
export function shellStep(run: string, fields: Partial<RenderedShell> = {}): RenderedShell {
  return {
    type: 'shell',
    id: 'sh',
    key: { step: 'sh' },
    attempt: 1,
    timeoutMs: 60_000,
    maxOutputBytes: 1024 * 1024,
    env: {},
    run,
    shell: LANGUAGE_DEFAULTS.shell,
    workingDirectory: undefined,
    outputsFrom: undefined,
    sandbox: { network: false },
    ...fields,
  };
}
