import { afterEach, describe, expect, it } from '@jest/globals';

import { type SuiteDir, suiteDir } from '../test-support/suite-dir.js';
import { failuresByCase, runFiles } from '../test-support/run-files.js';

const WORKFLOW = `version: 1
name: mocks
steps:
  - id: build
    type: shell
    run: 'echo real > real.txt; exit 7'
  - id: show
    type: shell
    needs: [build]
    run: |
      cat out/build.log
      echo "count={{steps.build.outputs.count}}" >> "$FLOWLINE_OUTPUT"
  - { id: lint, type: shell, run: 'echo linting' }
  - { id: after-lint, type: shell, needs: [lint], run: 'echo after' }
  - { id: render, type: template, needs: [build], template: 'rendered {{steps.build.outputs.count}}', output: render.md }
  - { id: check, type: assert, that: '{{eq 1 1}}' }
  - { id: hook, type: webhook, url: 'https://hooks.invalid/x' }
outputs:
  count: '{{steps.show.outputs.count}}'
`;

let suite: SuiteDir;
afterEach(() => suite.cleanup());

describe('mocked steps (real runs: real shell steps after them, bubblewrap)', () => {
  it('stands in outputs and files; later real steps read them, and the files count as the step’s changes', async () => {
    suite = await suiteDir({
      'mocks.yaml': WORKFLOW,
      'mocks.test.yaml': `
cases:
  - name: stand-ins
    mocks:
      build: { outputs: { count: 3 }, files: { out/build.log: "built\\n" } }
      hook: { outputs: { status_code: 200 } }
    expect:
      status: succeeded
      steps:
        build: { status: succeeded, outputs: { count: 3, files_changed: [out/build.log] } }
        show: { outputs: { stdout: "built\\n", count: '3' } }
        render: succeeded
        hook: { outputs: { status_code: 200 } }
      outputs: { count: 3 }
      files:
        out/build.log: "built\\n"
        render.md: rendered 3
        real.txt: { exists: false }
`,
    });
    const result = await runFiles([suite.path('mocks.test.yaml')]);
    expect(failuresByCase(result)).toEqual({ 'stand-ins': [] });
    expect(result).toMatchObject({ passed: 1, failed: 0 });
  }, 60_000);

  it('fails a step as a shell step fails: on a non-zero exit code, on an error, on status: failed — unless status says otherwise', async () => {
    suite = await suiteDir({
      'mocks.yaml': WORKFLOW,
      'mocks.test.yaml': `
cases:
  - name: exit code
    mocks:
      build: { outputs: { count: 1 }, files: { out/build.log: "" } }
      lint: { exit_code: 2, outputs: { stdout: 2 problems } }
      hook: {}
    expect:
      status: failed
      steps:
        lint: { status: failed, outputs: { exit_code: 2, stdout: 2 problems } }
        after-lint: upstream_failed
  - name: status wins
    mocks:
      build: { outputs: { count: 1 }, files: { out/build.log: "" } }
      lint: { exit_code: 1, status: succeeded }
      check: { error: not today }
      render: { status: failed }
      hook: {}
    expect:
      steps:
        after-lint: succeeded
        check: succeeded
        render: succeeded
`,
    });
    const result = await runFiles([suite.path('mocks.test.yaml')]);
    expect(failuresByCase(result)).toEqual({
      'exit code': [],
      'status wins': [
        '23:16 step check status | expected succeeded | actual failed (mocked_failure: not today)',
        '24:17 step render status | expected succeeded | actual failed (mocked_failure: failed (mocked))',
      ],
    });
  }, 60_000);
});
