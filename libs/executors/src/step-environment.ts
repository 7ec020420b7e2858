import type { ExecutionContext } from './executor.js';

/** What a process gets when the workflow does not say: a usable PATH and locale. */
const BASE_ENV: Readonly<Record<string, string>> = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
};

/**
 * The complete environment of a step's process: a base PATH and locale, a
 * private HOME, the Flowline variables, the workflow's and step's env, then
 * the declared secrets. Nothing of the driver's own environment leaks in.
 */
export function stepEnvironment(
  context: ExecutionContext,
  stepEnv: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    ...BASE_ENV,
    HOME: context.scratchDir,
    FLOWLINE_RUN_ID: context.runId,
    FLOWLINE_WORKSPACE: context.workspace,
    ...extra,
    ...stepEnv,
    ...context.secrets,
  };
}
