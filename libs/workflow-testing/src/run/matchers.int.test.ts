import { afterEach, describe, expect, it } from '@jest/globals';

import { type SuiteDir, suiteDir } from '../test-support/suite-dir.js';
import { failuresByCase, runFiles } from '../test-support/run-files.js';

let suite: SuiteDir;
afterEach(() => suite.cleanup());

const WORKFLOW = `version: 1
name: values
steps:
  - id: measure
    type: shell
    run: |
      mkdir -p out
      printf 'All 12 files pass\\n' > out/summary.txt
      echo '{"pct": 81.5, "files": ["a.ts", "b.ts"], "nested": {"depth": 2}}' > "$FLOWLINE_OUTPUT"
outputs:
  pct: '{{steps.measure.outputs.pct}}'
  summary: 'All {{len steps.measure.outputs.files}} files'
`;

describe('every matcher against a real run', () => {
  it('passes when each holds, and when one does not says where, what was expected and what there was', async () => {
    suite = await suiteDir({
      'values.yaml': WORKFLOW,
      'values.test.yaml': `
cases:
  - name: all hold
    expect:
      status: succeeded
      steps:
        measure:
          outputs:
            pct: { gt: 80, gte: 81.5, lt: 82, lte: 81.5 }
            files: { contains: b.ts }
            nested.depth: 2
            nested: { equals: { depth: 2 } }
            exit_code: 0
            missing: { exists: false }
      outputs: { pct: 81.5, summary: { matches: '^All \\d+ files$', contains: '2 files' } }
      files:
        out/summary.txt: { contains: 12 files, matches: '^All' }
        out: { exists: true }
        nothing.txt: { exists: false }
  - name: none hold
    expect:
      status: failed
      steps:
        measure:
          status: failed
          outputs:
            pct: { gt: 90, lte: 81.5 }
            files: { contains: c.ts }
            nested: { equals: { depth: 3 } }
            missing: { exists: true }
            stdout: something
      outputs: { pct: 80, summary: { matches: '^None' } }
      files:
        out/summary.txt: { contains: 13 files }
        nothing.txt: "x"
`,
    });
    const result = await runFiles([suite.path('values.test.yaml')]);
    expect(failuresByCase(result)).toEqual({
      'all hold': [],
      'none hold': [
        '22:15 run status | expected failed | actual succeeded',
        '25:19 step measure status | expected failed | actual succeeded',
        '27:13 step measure output "pct" | expected > 90 | actual 81.5',
        '28:13 step measure output "files" | expected contains "c.ts" | actual ["a.ts","b.ts"]',
        '29:13 step measure output "nested" | expected {"depth":3} | actual {"depth":2}',
        '30:13 step measure output "missing" | expected exists | actual missing',
        '31:13 step measure output "stdout" | expected "something" | actual ""',
        '32:18 run output "pct" | expected 80 | actual "81.5"',
        '32:27 run output "summary" | expected matches /^None/ | actual "All 2 files"',
        '34:9 file out/summary.txt | expected contains "13 files" | actual "All 12 files pass\\n"',
        '35:9 file nothing.txt | expected "x" | actual missing',
      ],
    });
  }, 60_000);
});
