import { afterEach, describe, expect, it } from '@jest/globals';

import { type SuiteDir, suiteDir } from '../test-support/suite-dir.js';
import { failuresByCase, runFiles } from '../test-support/run-files.js';

let suite: SuiteDir;
afterEach(() => suite.cleanup());

const AGENT = `version: 1
name: agent
steps:
  - { id: write, type: claude_code, profile: edit-code, prompt: Write NOTES.md }
  - { id: show, type: shell, needs: [write], run: cat NOTES.md }
`;

describe('claude_code transcripts (the real Claude Code CLI against a scripted model, in bubblewrap)', () => {
  it('the real CLI writes the file, the driver lists it, and a later shell step reads it', async () => {
    suite = await suiteDir({
      'agent.yaml': AGENT,
      'agent.test.yaml': `
cases:
  - name: writes the notes
    mocks:
      write:
        transcript:
          - tool_use: { name: Write, input: { file_path: '{{workspace}}/NOTES.md', content: "# notes\\n" } }
          - text: wrote the notes
    expect:
      status: succeeded
      steps:
        write: { status: succeeded, outputs: { result: wrote the notes, files_changed: [NOTES.md], num_turns: { gte: 2 } } }
        show: { outputs: { stdout: "# notes\\n" } }
      files: { NOTES.md: "# notes\\n" }
`,
    });
    expect(failuresByCase(await runFiles([suite.path('agent.test.yaml')]))).toEqual({ 'writes the notes': [] });
  }, 60_000);

  it('an unmocked agent fails at once, a transcript it stops short of fails the case, one it runs past fails the step', async () => {
    suite = await suiteDir({
      'agent.yaml': AGENT,
      'agent.test.yaml': `
cases:
  - name: unmocked
    expect:
      steps: { write: succeeded, show: upstream_failed }
  - name: stops short
    mocks:
      write:
        transcript:
          - text: nothing to write
          - text: never asked for
    expect: { steps: { write: succeeded } }
  - name: runs past the end
    mocks:
      write:
        transcript:
          - tool_use: { name: Write, input: { file_path: '{{workspace}}/NOTES.md', content: x } }
    expect: { status: failed, steps: { write: failed }, files: { NOTES.md: { exists: false } } }
`,
    });
    const result = await runFiles([suite.path('agent.test.yaml')]);
    expect(failuresByCase(result)).toEqual({
      unmocked: [
        '5:23 step write status | expected succeeded | actual failed (unmocked_agent: claude_code step "write" has no mock in this case; give it a transcript (or outputs) under mocks.write — flowline test never calls a real model)',
      ],
      'stops short': ["9:9 step write: the agent stopped after 1 of the transcript's 2 turns"],
      'runs past the end': [],
    });
  }, 60_000);

  it('replays a transcript per for_each item, with {{item}} and {{index}} filled in', async () => {
    suite = await suiteDir({
      'fan.yaml': `version: 1
name: fan
steps:
  - { id: fix, type: claude_code, profile: edit-code, for_each: [alpha, beta], prompt: 'Write {{item}}.txt' }
  - { id: list, type: shell, needs: [fix], run: 'cat alpha.txt beta.txt' }
`,
      'fan.test.yaml': `
cases:
  - name: per item
    mocks:
      fix:
        items:
          - transcript:
              - tool_use: { name: Write, input: { file_path: '{{workspace}}/{{item}}.txt', content: "first {{index}}\\n" } }
              - text: wrote {{item}}
          - transcript:
              - tool_use: { name: Write, input: { file_path: '{{workspace}}/{{item}}.txt', content: "second {{item}}\\n" } }
              - text: wrote {{item}}
    expect:
      status: succeeded
      steps:
        fix[0]: { status: succeeded, outputs: { result: wrote alpha, files_changed: [alpha.txt] } }
        fix[1]: { outputs: { result: wrote beta, files_changed: [beta.txt] } }
        fix: { outputs: { items: { exists: true } } }
        list: { outputs: { stdout: "first 0\\nsecond beta\\n" } }
`,
    });
    expect(failuresByCase(await runFiles([suite.path('fan.test.yaml')]))).toEqual({ 'per item': [] });
  }, 90_000);
});
