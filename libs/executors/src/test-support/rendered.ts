import type { RenderedShell } from '@flowline/engine';
import { LANGUAGE_DEFAULTS } from '@flowline/workflow';

/** What every rendered step has: a first attempt of step `id`, no env, the default 1 MiB output cap. */
export function renderedCommon(id: string, timeoutMs = 60_000) {
  return { id, key: { step: id }, attempt: 1, timeoutMs, maxOutputBytes: 1024 * 1024, env: {} };
}

/** A rendered shell step with the language defaults. */
export function shellStep(run: string, fields: Partial<RenderedShell> = {}): RenderedShell {
  return {
    type: 'shell',
    ...renderedCommon('sh'),
    run,
    shell: LANGUAGE_DEFAULTS.shell,
    workingDirectory: undefined,
    outputsFrom: undefined,
    sandbox: { network: false },
    ...fields,
  };
}
