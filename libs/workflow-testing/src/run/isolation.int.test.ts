import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from '@jest/globals';

import { type SuiteDir, suiteDir } from '../test-support/suite-dir.js';
import { failuresByCase, runFiles } from '../test-support/run-files.js';

/**
 * A link target outside the system temp directory: bubblewrap gives steps a
 * private /tmp, so a target under it would not be visible to them.
 */
const LINKED = fileURLToPath(new URL('../../fixtures/linked', import.meta.url));

let suite: SuiteDir;
afterEach(() => suite.cleanup());

describe('cases side by side', () => {
  it('run in parallel, each on its own copy of the workspace, which stays as it was', async () => {
    suite = await suiteDir({
      'ws/shared.txt': 'original\n',
      'write.yaml': `version: 1
name: write
inputs: { who: { type: string, required: true } }
steps:
  - id: write
    type: shell
    run: |
      cat deps/lib.txt
      test "$(cat shared.txt)" = original
      echo "{{inputs.who}}" > shared.txt
      sleep 1
      echo "seen=$(cat shared.txt)" >> "$FLOWLINE_OUTPUT"
`,
      'write.test.yaml': `
workspace: { from: ws, link: { deps: ${LINKED} } }
cases:
  - name: one
    inputs: { who: one }
    expect:
      steps: { write: { status: succeeded, outputs: { seen: one, stdout: "linked\\n" } } }
      files: { shared.txt: "one\\n" }
  - name: two
    inputs: { who: two }
    expect:
      steps: { write: { outputs: { seen: two } } }
      files: { shared.txt: "two\\n" }
`,
    });
    const started = Date.now();
    const result = await runFiles([suite.path('write.test.yaml')], { jobs: 2 });
    expect(failuresByCase(result)).toEqual({ one: [], two: [] });
    // Both slept a second; run one after the other they would take two.
    expect(Date.now() - started).toBeLessThan(result.files[0]!.durationMs);
    expect(await suite.read('ws/shared.txt')).toBe('original\n');
  }, 60_000);

  it('a case past its timeout (warm-up included) is cancelled and fails; the next one still runs', async () => {
    suite = await suiteDir({
      'slow.yaml': 'version: 1\nname: slow\nsteps:\n  - { id: wait, type: shell, run: sleep 30 }\n',
      // The second times out in its warm-up: its real run must not start.
      'slow.test.yaml': 'cases:\n  - name: too slow\n  - name: also slow\n    warm_cache: true\n',
    });
    const started = Date.now();
    const result = await runFiles([suite.path('slow.test.yaml')], { jobs: 1, timeoutMs: 1_000 });
    expect(failuresByCase(result)).toEqual({
      'too slow': ['2:5 timed out after 1s; the run was cancelled'],
      'also slow': ['3:5 timed out after 1s; the run was cancelled'],
    });
    expect(result.files[0]!.cases.map((c) => c.runStatus)).toEqual(['cancelled', 'cancelled']);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 60_000);
});
