import { afterEach, describe, expect, it } from '@jest/globals';

import { failuresByCase, runFiles } from '../test-support/run-files.js';
import { type SuiteDir, suiteDir } from '../test-support/suite-dir.js';

let suite: SuiteDir;
afterEach(() => suite.cleanup());

describe('setup scripts', () => {
  it('run in each fresh copy, the file’s then the case’s; a failing one fails its case at the script, with its output', async () => {
    suite = await suiteDir({
      'ws/base.txt': 'base\n',
      'read.yaml': `version: 1
name: read
steps:
  - { id: read, type: shell, run: 'cat prepared.txt' }
`,
      'read.test.yaml': `setup: |
  cat base.txt > prepared.txt
  echo file >> prepared.txt
workspace: ws
cases:
  - name: file setup only
    expect:
      steps: { read: { outputs: { stdout: "base\\nfile\\n" } } }
  - name: case setup after the file's
    setup: echo case >> prepared.txt
    expect:
      steps: { read: { outputs: { stdout: "base\\nfile\\ncase\\n" } } }
  - name: setup fails
    setup: |
      echo preparing
      echo "no such fixture" >&2
      exit 3
    expect:
      status: succeeded
`,
    });
    const result = await runFiles([suite.path('read.test.yaml')]);
    expect(failuresByCase(result)).toEqual({
      'file setup only': [],
      "case setup after the file's": [],
      'setup fails': ['14:12 setup failed (exit 3): preparing\nno such fixture'],
    });
    expect(await suite.read('ws/base.txt')).toBe('base\n');
  }, 60_000);
});
