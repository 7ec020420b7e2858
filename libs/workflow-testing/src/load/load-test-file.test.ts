import { afterEach, describe, expect, it } from '@jest/globals';

import { formatDiagnostic } from '@flowline/core';

import { type SuiteDir, suiteDir } from '../test-support/suite-dir.js';
import { findTestFiles } from './find-test-files.js';
import { loadTestFile } from './load-test-file.js';

const WORKFLOW = `version: 1
name: checked
inputs: { n: { type: number, required: true } }
secrets: [TOKEN]
steps:
  - { id: build, type: shell, run: 'true' }
  - { id: agent, type: claude_code, prompt: hi }
  - { id: gate, type: conditional, needs: [build], condition: '{{eq 1 1}}', then: [notify] }
  - { id: notify, type: webhook, url: 'https://example.com' }
  - { id: each, type: shell, for_each: [a, b], run: 'echo {{item}}' }
outputs: { total: '{{steps.build.outputs.exit_code}}' }
`;

let suite: SuiteDir;
afterEach(() => suite.cleanup());

/** Loads `test` beside the workflow above and returns its diagnostics as the CLI prints them. */
async function problemsOf(test: string, files: Record<string, string> = {}): Promise<string[]> {
  suite = await suiteDir({ 'checked.yaml': WORKFLOW, 'checked.test.yaml': test, ...files });
  const loaded = await loadTestFile(suite.path('checked.test.yaml'));
  return loaded.diagnostics.map((d) => formatDiagnostic(d).replaceAll(suite.dir, '<dir>'));
}

describe('loading a test file against its workflow', () => {
  it('accepts a case that fits the workflow', async () => {
    const problems = await problemsOf(`
cases:
  - name: fits
    inputs: { n: 1 }
    secrets: { TOKEN: fake }
    mocks: { agent: { transcript: [{ text: done }] }, each: { items: [{}, { exit_code: 1 }] } }
    expect: { steps: { 'each[1]': failed, gate: succeeded }, outputs: { total: 0 } }
`);
    expect(problems).toEqual([]);
  });

  it('reports steps, outputs, inputs and secrets the workflow does not have, each at its place', async () => {
    const problems = await problemsOf(`
cases:
  - name: misfits
    inputs: { n: many, m: 1 }
    secrets: { TOKN: fake }
    mocks:
      biuld: { exit_code: 1 }
      gate: { outputs: {} }
      build: { transcript: [{ text: hi }] }
      notify: { files: { a.txt: x } }
      agent: { items: [{ transcript: [{ text: hi }] }] }
    expect:
      steps: { agnet: succeeded, 'build[0]': succeeded, 'each[2]': failed }
      outputs: { totl: 1 }
`);
    expect(problems).toEqual([
      `<dir>/checked.test.yaml:4:13: error: case "misfits": unknown input "m"; input "n" must be of type number, got "many" [invalid-inputs]`,
      `<dir>/checked.test.yaml:5:14: error: the workflow declares no secret "TOKN" (did you mean "TOKEN"?); it declares TOKEN [unknown-secret]`,
      `<dir>/checked.test.yaml:7:7: error: workflow "checked" has no step "biuld" (did you mean "build"?) [unknown-step]`,
      `<dir>/checked.test.yaml:8:7: error: step "gate" is a conditional, decided by the scheduler from its condition; mock the steps its condition reads instead [not-mockable]`,
      `<dir>/checked.test.yaml:9:16: error: step "build" is a shell step; a transcript replays a claude_code agent's model — mock this step with outputs, status, exit_code or error [transcript-not-agent]`,
      `<dir>/checked.test.yaml:10:26: error: step "notify" is a webhook step, which changes no files; only shell, claude_code and template mocks may write files [files-not-allowed]`,
      `<dir>/checked.test.yaml:11:16: error: step "agent" has no for_each; mock it without items: [items-without-for-each]`,
      `<dir>/checked.test.yaml:13:16: error: workflow "checked" has no step "agnet" (did you mean "agent"?) [unknown-step]`,
      `<dir>/checked.test.yaml:13:34: error: step "build" has no for_each, so no item 0 [items-without-for-each]`,
      `<dir>/checked.test.yaml:13:57: error: step "each" has 2 items; no item 2 [item-out-of-range]`,
      `<dir>/checked.test.yaml:14:18: error: the workflow has no output "totl" (did you mean "total"?); it has total [unknown-output]`,
    ]);
  });

  it('reports the workflow’s own errors, a workflow that is not there, and missing workspaces', async () => {
    const broken = await problemsOf('cases: [{ name: a }]\n', {
      'checked.yaml': 'version: 1\nname: checked\nsteps:\n  - { id: a, type: shell, run: x, needs: [b] }\n',
    });
    expect(broken).toEqual([expect.stringMatching(/^<dir>\/checked\.yaml:4:\d+: error: .*"b".* \[unknown-step\]$/)]);
    await suite.cleanup();
    const missing = await problemsOf('workflow: nowhere.yaml\ncases: [{ name: a }]\n');
    expect(missing).toEqual([
      `<dir>/checked.test.yaml:1:11: error: the workflow under test: cannot read <dir>/nowhere.yaml: no such file [workflow-unreadable]`,
    ]);
    await suite.cleanup();
    const noWorkspace = await problemsOf(`
workspace: { from: fixtures/none, link: { node_modules: ../nothing-here } }
cases: [{ name: a, inputs: { n: 1 }, secrets: { TOKEN: t } }]
`);
    expect(noWorkspace).toEqual([
      `<dir>/checked.test.yaml:2:12: error: workspace <dir>/fixtures/none is not a directory [workspace-missing]`,
      expect.stringMatching(
        /^<dir>\/checked\.test\.yaml:2:57: error: link target \/.*\/nothing-here does not exist \[workspace-missing\]$/,
      ),
    ]);
  });
});

describe('finding test files', () => {
  it('searches directories for *.test.yaml, skipping node_modules and dot-directories, and keeps files given by name', async () => {
    suite = await suiteDir({
      'a.test.yaml': '',
      'sub/b.test.yml': '',
      'sub/b.yaml': '',
      'node_modules/x/c.test.yaml': '',
      '.cache/d.test.yaml': '',
      'named.yaml': '',
    });
    const found = await findTestFiles([suite.dir, suite.path('named.yaml'), suite.path('a.test.yaml')]);
    expect(found.map((f) => f.replace(suite.dir, '<dir>'))).toEqual([
      '<dir>/a.test.yaml',
      '<dir>/named.yaml',
      '<dir>/sub/b.test.yml',
    ]);
    await expect(findTestFiles([suite.path('nothing')])).rejects.toMatchObject({ code: 'path_not_found' });
  });
});
