import { describe, expect, it } from '@jest/globals';
import { type CompiledWorkflow, loadWorkflow } from '@flowline/workflow';

import { secretsFor, secretsFromEnvironment } from './secrets-of.js';

function workflow(secrets: string[]): CompiledWorkflow {
  const text = [
    'version: 1',
    'name: uses-secrets',
    `secrets: [${secrets.join(', ')}]`,
    'steps:',
    '  - { id: a, type: shell, run: "true" }',
  ].join('\n');
  const result = loadWorkflow(text, { file: 'uses-secrets.yaml' });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.workflow;
}

describe('secretsFromEnvironment', () => {
  it('gives a workflow the values of the names it declares, and nothing else of the environment', () => {
    const env = { GITHUB_TOKEN: 'ghp_1', NPM_TOKEN: 'npm_2', HOME: '/root', PATH: '/bin' };
    const of = secretsFromEnvironment(env, () => undefined);
    expect(of(workflow(['GITHUB_TOKEN']))).toEqual({ GITHUB_TOKEN: 'ghp_1' });
    expect(of(workflow(['GITHUB_TOKEN', 'NPM_TOKEN']))).toEqual({ GITHUB_TOKEN: 'ghp_1', NPM_TOKEN: 'npm_2' });
  });

  it('leaves out a declared name the environment lacks, warning once per workflow and name', () => {
    const warnings: string[] = [];
    const of = secretsFromEnvironment({ A_TOKEN: 'a' }, (message) => warnings.push(message));
    const wf = workflow(['A_TOKEN', 'MISSING_TOKEN']);
    expect(of(wf)).toEqual({ A_TOKEN: 'a' });
    expect(of(wf)).toEqual({ A_TOKEN: 'a' });
    expect(warnings).toEqual([
      "workflow uses-secrets declares secret MISSING_TOKEN, which this service's environment does not set",
    ]);
  });

  it('secretsFor passes a fixed set through', () => {
    expect(secretsFor({ X: 'y' }, workflow([]))).toEqual({ X: 'y' });
  });
});
