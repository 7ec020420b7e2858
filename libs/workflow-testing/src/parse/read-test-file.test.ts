import { describe, expect, it } from '@jest/globals';

import { formatDiagnostic } from '@flowline/core';

import { readTestFile } from './read-test-file.js';

const FILE = 'suite/wf.test.yaml';

/** The diagnostics of `text`, formatted as the CLI prints them. */
function problems(text: string): string[] {
  const result = readTestFile(text, FILE);
  if (result.diagnostics.length === 0) throw new Error('expected the test file to be refused');
  return result.diagnostics.map((d) => formatDiagnostic(d));
}

function read(text: string) {
  const result = readTestFile(text, FILE);
  if (result.diagnostics.length > 0 || result.testFile === undefined) {
    throw new Error(result.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  }
  return result.testFile;
}

describe('reading a test file', () => {
  it('reads cases with their places, defaults and every part', () => {
    const file = read(`
workspace: { from: fixtures/ws, link: { node_modules: ../node_modules } }
cases:
  - name: first
    inputs: { n: 2 }
    secrets: { TOKEN: fake }
    warm_cache: true
    mocks:
      build: { outputs: { ok: yes }, exit_code: 3, status: succeeded, files: { out/log.txt: hi } }
      agent:
        transcript:
          - tool_use: { name: Write, input: { file_path: '{{workspace}}/a' } }
          - [{ text: one }, { text: two }]
        items:
          - { error: boom }
    expect:
      status: failed
      steps: { build: cached, 'agent[1]': { status: failed, outputs: { result: { contains: x, matches: '^a' } } } }
      outputs: { total.count: { gte: 1, lt: 10 } }
      files: { out/log.txt: { exists: true } }
`);
    expect(file.workflowFile).toBe('suite/wf.yaml');
    const [first] = file.cases;
    expect(first).toMatchObject({ name: 'first', at: { line: 4, column: 5 }, inputs: { n: 2 }, warmCache: true });
    expect(first!.workspace).toMatchObject({ links: [{ path: 'node_modules' }] });
    expect(first!.workspace!.from).toMatch(/suite\/fixtures\/ws$/);
    expect(first!.workspace!.links[0]!.target).toMatch(/\/node_modules$/);
    expect(first!.mocks.get('build')!.body).toMatchObject({
      kind: 'outcome',
      outputs: { ok: 'yes' },
      exitCode: 3,
      status: 'succeeded',
      files: [{ path: 'out/log.txt', content: 'hi' }],
    });
    const agent = first!.mocks.get('agent')!;
    expect(agent.body).toMatchObject({
      kind: 'transcript',
      turns: [
        [{ type: 'tool_use', name: 'Write', input: { file_path: '{{workspace}}/a' } }],
        [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      ],
    });
    expect(agent.items).toMatchObject([{ kind: 'outcome', error: 'boom' }]);
    expect(first!.expect.steps).toMatchObject([
      { step: 'build', item: undefined, status: { value: 'cached' } },
      { step: 'agent', item: 1, status: { value: 'failed' }, outputs: [{ path: 'result' }] },
    ]);
    expect(first!.expect.steps[1]!.outputs[0]!.matcher.map((c) => c.op)).toEqual(['contains', 'matches']);
    expect(first!.expect.outputs[0]).toMatchObject({ path: 'total.count', at: { line: 19, column: 18 } });
  });

  it('names the workflow after the file unless workflow: says otherwise', () => {
    expect(read('cases: [{ name: a }]').workflowFile).toBe('suite/wf.yaml');
    expect(read('workflow: ../other.yml\ncases: [{ name: a }]').workflowFile).toBe('other.yml');
    expect(readTestFile('cases: [{ name: a }]', 'suite/wf.yaml')).toMatchObject({
      testFile: undefined,
      diagnostics: [{ code: 'missing-field', line: 1, column: 1 }],
    });
  });

  it('shares mocks through anchors and merge keys', () => {
    const file = read(`
cases:
  - name: a
    mocks: &common
      build: { outputs: { n: 1 } }
  - name: b
    mocks:
      <<: *common
      test: { exit_code: 1 }
`);
    expect([...file.cases[1]!.mocks.keys()]).toEqual(['test', 'build']);
  });

  it('reports unknown keys at their place, with the closest known one', () => {
    expect(
      problems(`
cases:
  - name: a
    mock: {}
    expect:
      stauts: succeeded
`),
    ).toEqual([
      `${FILE}:4:5: error: case: unknown field "mock" (did you mean "mocks"?); allowed: name, description, inputs, secrets, workspace, warm_cache, setup, mocks, expect [unknown-field]`,
      `${FILE}:6:7: error: expect: unknown field "stauts" (did you mean "status"?); allowed: status, steps, outputs, files [unknown-field]`,
    ]);
  });

  it('refuses unknown statuses for the run, a step and a mock', () => {
    expect(
      problems(`
cases:
  - name: a
    mocks: { build: { status: crashed } }
    expect: { status: succeded, steps: { build: skiped } }
`),
    ).toEqual([
      `${FILE}:4:31: error: mock of step "build": status: unknown "crashed"; one of succeeded, failed [unknown-status]`,
      `${FILE}:5:23: error: expect.status: unknown "succeded" (did you mean "succeeded"?); one of succeeded, failed, cancelled [unknown-status]`,
      `${FILE}:5:49: error: expect.steps.build status: unknown "skiped" (did you mean "skipped"?); one of succeeded, cached, failed, skipped, upstream_failed, cancelled [unknown-status]`,
    ]);
  });

  it('refuses bad matchers: mixed keys, a misspelt matcher, a bad regex, a comparison with text', () => {
    expect(
      problems(`
cases:
  - name: a
    expect:
      outputs:
        one: { contains: a, other: b }
        two: { contians: a }
        three: { matches: '(' }
        four: { gte: ten }
      files:
        log.txt: { gt: 1 }
`),
    ).toEqual([
      `${FILE}:6:14: error: expect.outputs.one: mixes matchers (contains) with other keys (other); to compare a mapping write equals: { … } [bad-matcher]`,
      `${FILE}:7:16: error: expect.outputs.two: unknown matcher "contians" (did you mean "contains"?); to compare a mapping write equals: { … } [bad-matcher]`,
      `${FILE}:8:27: error: expect.outputs.three: matches: not a valid regular expression: Invalid regular expression: /(/: Unterminated group [bad-matcher]`,
      `${FILE}:9:22: error: expect.outputs.four: gte must be a number, not text "ten" [wrong-type]`,
      `${FILE}:11:24: error: expect.files."log.txt": gt: not a matcher here; use one of equals, contains, matches, exists [bad-matcher]`,
    ]);
  });

  it('refuses a transcript mixed with an outcome, malformed turns, and bad paths', () => {
    expect(
      problems(`
cases:
  - name: a
    mocks:
      agent: { transcript: [{ text: hi }], outputs: {} }
      other:
        transcript:
          - { text: hi, tool_use: { name: Read } }
          - tool_use: { input: {} }
      build: { files: { ../escape.txt: x }, error: e, status: succeeded }
    expect:
      files: { /etc/passwd: { exists: false } }
`),
    ).toEqual([
      `${FILE}:5:44: error: mock of step "agent": a transcript runs the real agent, whose outcome is its own; drop outputs [conflicting-fields]`,
      `${FILE}:8:13: error: mock of step "other": transcript turn 1: a block is either text: … or tool_use: { … } [bad-transcript]`,
      `${FILE}:9:23: error: mock of step "other": transcript turn 2 tool_use needs "name" [missing-field]`,
      `${FILE}:10:25: error: mock of step "build": files: "../escape.txt" climbs out with ".." [bad-path]`,
      `${FILE}:10:45: error: mock of step "build": error describes a failure; it cannot have status succeeded [conflicting-fields]`,
      `${FILE}:12:16: error: expect.files."/etc/passwd": the path is absolute; paths are relative to the workspace [bad-path]`,
    ]);
  });

  it('needs unique case names, and at least one case', () => {
    expect(problems('cases:\n  - name: a\n  - name: a\n')).toEqual([
      `${FILE}:3:5: error: another case is already named "a"; names must be unique [duplicate-case]`,
    ]);
    expect(problems('cases: []\n')).toEqual([`${FILE}:1:8: error: cases is empty; add at least one case [no-cases]`]);
    expect(problems('workflow: x.yaml\n')).toEqual([`${FILE}:1:1: error: a test file needs "cases" [missing-field]`]);
  });

  it('reports a YAML syntax error once, where it is', () => {
    expect(problems('cases:\n  - name: a\n    mocks: { build: [\n')).toEqual([
      expect.stringMatching(/^suite\/wf\.test\.yaml:4:1: error: .* \[yaml-syntax\]$/),
    ]);
    expect(problems('')).toEqual([
      `${FILE}:1:1: error: the test file is empty; it needs at least \`cases:\` [yaml-empty]`,
    ]);
  });
});
