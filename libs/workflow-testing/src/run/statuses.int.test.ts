import { afterEach, describe, expect, it } from '@jest/globals';

import { type SuiteDir, suiteDir } from '../test-support/suite-dir.js';
import { failuresByCase, runFiles } from '../test-support/run-files.js';

let suite: SuiteDir;
afterEach(() => suite.cleanup());

const WORKFLOW = `version: 1
name: statuses
inputs: { go: { type: boolean, default: true } }
secrets: [TOKEN]
steps:
  - id: stamp
    type: shell
    cache: { enabled: true }
    run: 'date +%s%N > stamp.txt; echo "v=1" >> "$FLOWLINE_OUTPUT"'
  - id: each
    type: shell
    cache: { enabled: true }
    for_each: [a, b]
    run: 'echo "{{item}}"'
  - { id: never, type: shell, if: '{{eq 1 2}}', run: 'true' }
  - id: gate
    type: conditional
    needs: [stamp]
    condition: '{{inputs.go}}'
    then: [went]
    else: [stayed]
  - { id: went, type: shell, run: 'echo "token=$TOKEN" > token.txt' }
  - { id: stayed, type: shell, run: 'true' }
outputs:
  v: '{{steps.stamp.outputs.v}}'
`;

describe('step statuses as expectations see them', () => {
  it('skipped (an if, a branch not taken) and cached (a warm cache, every item of a fan-out)', async () => {
    suite = await suiteDir({
      'statuses.yaml': WORKFLOW,
      'statuses.test.yaml': `
cases:
  - name: cold
    secrets: { TOKEN: fake }
    expect:
      steps: { stamp: succeeded, each: succeeded, 'each[1]': succeeded, never: skipped, went: succeeded, stayed: skipped }
  - name: warm
    warm_cache: true
    secrets: { TOKEN: fake }
    inputs: { go: false }
    expect:
      steps: { stamp: cached, each: cached, 'each[0]': cached, never: skipped, went: skipped, stayed: succeeded }
      files: { stamp.txt: { exists: true } }
  - name: cached is not succeeded
    warm_cache: true
    secrets: { TOKEN: fake }
    expect:
      steps: { stamp: succeeded, never: succeeded }
`,
    });
    const result = await runFiles([suite.path('statuses.test.yaml')]);
    expect(failuresByCase(result)).toEqual({
      cold: [],
      warm: [],
      'cached is not succeeded': [
        '18:23 step stamp status | expected succeeded | actual cached',
        '18:41 step never status | expected succeeded | actual skipped (its if was false)',
      ],
    });
  }, 60_000);

  it('a missing secret fails the case before it runs; secret values are masked in what a failure shows', async () => {
    suite = await suiteDir({
      'statuses.yaml': WORKFLOW,
      'statuses.test.yaml': `
cases:
  - name: no secret
  - name: masked
    secrets: { TOKEN: s3cr3t-value }
    expect:
      files: { token.txt: { contains: nothing } }
`,
    });
    const result = await runFiles([suite.path('statuses.test.yaml')]);
    expect(failuresByCase(result)).toEqual({
      'no secret': [
        "3:5 the workflow declares secret TOKEN; give the case fake values under secrets: (the environment's are never used)",
      ],
      masked: ['7:16 file token.txt | expected contains "nothing" | actual "token=***\\n"'],
    });
    expect(result.files[0]!.cases[0]!.runStatus).toBeUndefined();
  }, 60_000);
});
