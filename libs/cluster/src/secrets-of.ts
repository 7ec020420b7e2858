import type { CompiledWorkflow } from '@flowline/workflow';

type Secrets = Readonly<Record<string, string>>;

/**
 * The secrets a run's templates and steps see: one fixed set, or — for a
 * service that runs any workflow — a function giving each workflow the
 * values of the names it declares (`secrets: [GITHUB_TOKEN]`).
 */
export type SecretsOf = Secrets | ((workflow: CompiledWorkflow) => Secrets);

export function secretsFor(secrets: SecretsOf, workflow: CompiledWorkflow): Secrets {
  return typeof secrets === 'function' ? secrets(workflow) : secrets;
}

/**
 * Each workflow's declared secrets, read from a service's environment.
 * Nothing else of the environment is exposed, so only declared values are
 * masked and reachable by templates. A declared name the environment lacks
 * is left out (with one `warn` per workflow and name), not fatal: worker
 * fleets split by queue may hold only the secrets their steps use, and a
 * step that does use a missing one fails on it by name.
 */
export function secretsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
  warn: (message: string) => void,
): (workflow: CompiledWorkflow) => Secrets {
  const warned = new Set<string>();
  return (workflow) => {
    const secrets: Record<string, string> = {};
    for (const name of workflow.secrets) {
      const value = env[name];
      if (value !== undefined) {
        secrets[name] = value;
        continue;
      }
      const key = `${workflow.digest} ${name}`;
      if (warned.has(key)) continue;
      warned.add(key);
      warn(`workflow ${workflow.name} declares secret ${name}, which this service's environment does not set`);
    }
    return secrets;
  };
}
