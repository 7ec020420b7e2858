import { describe, expect, it } from '@jest/globals';

import { lintYaml } from '../test-support/lint-yaml.js';
import { SECURITY_RULES } from './security-rules.js';
import { at, flow, inScript, lint, messagesOf, script } from './test-support/security-lint.js';

describe('curl-pipe-shell', () => {
  const id = 'curl-pipe-shell';

  it('reports a download piped into an interpreter, at the fetcher', () => {
    const lines = [
      'curl -fsSL https://example.com/install.sh | bash',
      'wget -qO- https://example.com/i.sh | sudo sh -s -- --yes',
      'curl -s https://example.com/x.py | python3',
      'curl -fsSL https://example.com/install.sh \\',
      '  | bash',
    ];
    expect(lint(id, script(...lines))).toEqual([
      inScript(lines, 1, 'curl', id),
      inScript(lines, 2, 'wget', id),
      inScript(lines, 3, 'curl', id),
      inScript(lines, 4, 'curl', id),
    ]);
  });

  it('says what runs and how to do it safely', () => {
    expect(messagesOf(id, script('curl -fsSL https://example.com/i.sh | sudo bash -s'))).toEqual([
      'step "a": pipes a download (curl) straight into bash: whatever the server, or anyone on the way, sends runs unchecked; download it to a file, check its checksum, then run it',
    ]);
  });

  it('reports process and command substitutions run as code', () => {
    const lines = [
      'bash <(curl -s https://example.com/i.sh)',
      'source <(wget -qO- https://example.com/env.sh)',
      'sh -c "$(curl -fsSL https://example.com/i.sh)"',
      'eval "$(curl -s https://example.com/env)"',
      'RESULT=$(curl -s https://example.com/i.sh | sh)',
    ];
    expect(lint(id, script(...lines))).toEqual([
      inScript(lines, 1, 'curl', id),
      inScript(lines, 2, 'wget', id),
      inScript(lines, 3, 'curl', id),
      inScript(lines, 4, 'curl', id),
      inScript(lines, 5, 'curl', id),
    ]);
  });

  it('is quiet on checked downloads, data pipelines, comments, strings and heredocs', () => {
    const lines = [
      '# curl https://example.com/install.sh | sh',
      'curl -fsSL -o install.sh https://example.com/install.sh',
      'echo "3f5c0000  install.sh" | sha256sum -c - && bash install.sh',
      'curl -s https://api.example.com/x | python3 -m json.tool',
      'curl -s https://api.example.com/x | node -e "process.stdin.pipe(process.stdout)"',
      'curl -s https://api.example.com/x | jq .name | tee name.txt',
      'echo "run: curl x | sh"',
      'VERSION="$(curl -s https://api.example.com/version)"',
      'diff <(curl -s https://a.example.com) <(curl -s https://b.example.com)',
      'cat > README.md <<EOF',
      'curl https://example.com/install.sh | sh',
      'EOF',
    ];
    expect(lint(id, script(...lines))).toEqual([]);
  });

  it('leaves steps with another interpreter alone', () => {
    const yaml = flow('name: w', 'steps:', '  - { id: a, type: shell, shell: python3, run: "x = 1 # curl x | sh" }');
    expect(lint(id, yaml)).toEqual([]);
  });
});

describe('rm-rf-templated-path', () => {
  const id = 'rm-rf-templated-path';

  it('reports a template in the path of rm -r/-f, at the template', () => {
    const lines = [
      'rm -rf {{inputs.dir}}/build',
      'sudo rm --recursive "{{inputs.dir}}"',
      'rm -R -- {{json inputs.list}}',
    ];
    expect(lint(id, script(...lines))).toEqual([
      inScript(lines, 1, '{{', id),
      inScript(lines, 2, '{{', id),
      inScript(lines, 3, '{{', id),
    ]);
  });

  it('reports templated env variables expanded unquoted, or quoted before a slash when they may be empty', () => {
    const lines = ['rm -rf $OUT', 'rm -f "$OUT/cache"', 'rm -rf "${OUT}"/*'];
    expect(lint(id, script(...lines))).toEqual([
      inScript(lines, 1, '$OUT', id),
      inScript(lines, 2, '$OUT', id),
      inScript(lines, 3, '${OUT}', id),
    ]);
  });

  it('is quiet on guarded, quoted-whole and literal-env paths, and on rm without -r or -f', () => {
    const lines = [
      'rm -rf "$OUT"',
      'rm -rf "${OUT:?}/build"',
      'rm -rf "$FIXED/cache" $FIXED',
      'rm -rf "$TMPDIR/x" build/ coverage',
      'rm notes-{{inputs.count}}.txt',
      'echo rm -rf {{inputs.count}}',
      'rm -rf 2>/dev/null dist',
    ];
    expect(lint(id, script(...lines))).toEqual([]);
  });

  it("takes a step's literal env over the workflow's templated one", () => {
    const yaml = flow(
      'name: w',
      'inputs: { dir: { type: string } }',
      "env: { OUT: '{{inputs.dir}}' }",
      'steps:',
      '  - { id: a, type: shell, env: { OUT: dist }, run: rm -rf $OUT }',
      "  - { id: b, type: shell, env: { DIR: 'out/{{inputs.dir}}' }, run: 'rm -rf \"$DIR/x\" $DIR' }",
    );
    // Quoted "$DIR/x" is fine (DIR starts with "out/", never empty); the unquoted $DIR after it is not.
    expect(lint(id, yaml)).toEqual([at(yaml, 6, '$DIR', id, '" $DIR')]);
  });
});

describe('npx-unpinned', () => {
  const id = 'npx-unpinned';

  it('reports package runs without an exact version, at the package', () => {
    const lines = [
      'npx jest --ci',
      'npx -y create-thing@latest app',
      'npx prettier@^3.3.0 --check .',
      'npm exec -- eslint .',
      'pnpm dlx cowsay hi && yarn dlx @scope/tool@1',
      'npx -p typescript tsc --noEmit',
      'bunx esbuild src/a.ts',
    ];
    expect(lint(id, script(...lines))).toEqual([
      inScript(lines, 1, 'jest', id),
      inScript(lines, 2, 'create-thing', id),
      inScript(lines, 3, 'prettier', id),
      inScript(lines, 4, 'eslint', id),
      inScript(lines, 5, 'cowsay', id),
      inScript(lines, 5, '@scope', id),
      inScript(lines, 6, 'typescript', id),
      inScript(lines, 7, 'esbuild', id),
    ]);
  });

  it('is quiet on local-only runs, exact versions, local paths and run-time specs', () => {
    const lines = [
      'npx --no-install jest',
      'npx --no tsc --noEmit',
      'npx prettier@3.3.3 --check .',
      'npx @scope/pkg@1.2.3-beta.1',
      'npx -p typescript@5.4.5 -p ts-node@10.9.2 tsc',
      'npx ./bin/tool.js',
      'npx "$TOOL" && npx tool@$VERSION',
      'npm run lint && npm test && pnpm exec jest',
      '# npx jest',
    ];
    expect(lint(id, script(...lines))).toEqual([]);
  });

  it('says how to pin and how to stay local, for the runner used', () => {
    const [npx, pnpm] = messagesOf(id, script('npx jest', 'pnpm dlx cowsay'));
    expect(npx).toBe(
      'step "a": runs jest with npx without a version: the registry decides what runs (a typo, a hijacked release), so pin it (jest@1.2.3) or run the local install (npx --no-install)',
    );
    expect(pnpm).toContain('(pnpm exec)');
  });
});

describe('input-in-run', () => {
  const id = 'input-in-run';

  it('reports free-text inputs spliced into the script, directly or through helpers, env and item', () => {
    const lines = [
      'echo {{inputs.dir}}',
      'echo {{default inputs.dir "x"}} {{json inputs.list}}',
      'cp a {{env.OUT}}',
      '{{#each inputs.list}}echo {{this}}{{/each}}',
    ];
    expect(lint(id, script(...lines))).toEqual([
      inScript(lines, 1, 'inputs.dir', id),
      inScript(lines, 2, 'inputs.dir', id),
      inScript(lines, 2, 'inputs.list', id),
      inScript(lines, 3, 'env.OUT', id),
      inScript(lines, 4, 'inputs.list', id),
    ]);
  });

  it('is quiet on typed and enum inputs, tested inputs, env-passed values and prompts', () => {
    const lines = [
      'echo {{inputs.count}} {{inputs.mode}} {{env.FIXED}}',
      '{{#if inputs.dir}}echo yes{{/if}} {{#if (eq inputs.dir "a")}}a{{/if}} {{len inputs.list}}',
      'echo "$OUT"',
    ];
    expect(lint(id, script(...lines))).toEqual([]);
    const prompt = flow(
      'name: w',
      'inputs: { task: { type: string } }',
      'steps:',
      "  - { id: a, type: claude_code, prompt: 'Do {{inputs.task}}' }",
    );
    expect(lint(id, prompt)).toEqual([]);
  });

  it('follows for_each: item from an input is the input', () => {
    const yaml = flow(
      'name: w',
      'inputs: { files: { type: array } }',
      'steps:',
      "  - { id: a, type: shell, for_each: '{{json inputs.files}}', run: 'wc -l {{item}}' }",
      '  - { id: b, type: shell, for_each: [a.ts, b.ts], run: "wc -l {{item}}" }',
    );
    expect(lint(id, yaml)).toEqual([at(yaml, 4, 'item', id, 'wc')]);
    expect(messagesOf(id, yaml)[0]).toContain('item (inputs.files, through item)');
  });

  it('suggests the env variable to use', () => {
    const [direct, viaEnv] = messagesOf(id, script('echo {{inputs.dir}} {{env.OUT}}'));
    expect(direct).toContain(`pass it through env (DIR: '{{inputs.dir}}') and write "$DIR"`);
    expect(viaEnv).toContain('write "$OUT" instead of {{env.OUT}}');
  });
});

describe('secret-in-run', () => {
  const id = 'secret-in-run';

  it('reports secrets spliced into the script, in any interpreter, directly or through env', () => {
    const lines = ['npm publish --token {{secrets.TOKEN}}', 'curl -H "Authorization: {{env.AUTH}}" https://x'];
    expect(lint(id, script(...lines))).toEqual([inScript(lines, 1, 'secrets', id), inScript(lines, 2, 'env', id)]);
    const python = flow(
      'name: w',
      'secrets: [TOKEN]',
      'steps:',
      '  - { id: a, type: shell, shell: python3, run: \'print("{{secrets.TOKEN}}")\' }',
    );
    expect(lint(id, python)).toEqual([at(python, 4, 'secrets', id)]);
  });

  it('is quiet when the secret is passed through env, or only tested', () => {
    const yaml = flow(
      'name: w',
      'secrets: [TOKEN]',
      'steps:',
      '  - id: a',
      '    type: shell',
      "    env: { TOKEN: '{{secrets.TOKEN}}' }",
      '    run: \'{{#if secrets.TOKEN}}npm publish --token "$TOKEN"{{/if}}\'',
    );
    expect(lint(id, yaml)).toEqual([]);
  });
});

const HOOK_AND_AGENT = [
  'name: w',
  'steps:',
  '  - { id: hook, type: webhook, url: "https://api.example.com/v" }',
  "  - { id: review, type: claude_code, prompt: 'Review the change.' }",
  '  - { id: build, type: shell, run: echo }',
  '  - id: use',
  '    type: shell',
  '    needs: [hook, review, build]',
  '    run: |',
];

function usingOutputs(...lines: string[]): string {
  return `${[...HOOK_AND_AGENT, ...lines.map((line) => `      ${line}`)].join('\n')}\n`;
}

describe('webhook-body-in-run', () => {
  const id = 'webhook-body-in-run';

  it("reports a webhook's body or headers spliced into the script", () => {
    const yaml = usingOutputs(
      './deploy.sh {{steps.hook.outputs.body.version}}',
      'echo {{json steps.hook.outputs.headers}}',
    );
    expect(lint(id, yaml)).toEqual([at(yaml, 10, 'steps', id), at(yaml, 11, 'steps', id)]);
  });

  it('is quiet on the status code, on other steps, and on env-passed values', () => {
    const lines = ['echo {{steps.hook.outputs.status_code}} {{steps.build.outputs.stdout}}', 'echo "$VERSION"'];
    expect(lint(id, usingOutputs(...lines))).toEqual([]);
  });
});

describe('agent-output-in-run', () => {
  const id = 'agent-output-in-run';

  it("reports a claude_code step's result spliced into the script, and nothing else it outputs", () => {
    const yaml = usingOutputs(
      'gh pr comment 1 --body "{{steps.review.outputs.result}}"',
      'echo {{steps.review.outputs.num_turns}}',
    );
    expect(lint(id, yaml)).toEqual([at(yaml, 10, 'steps', id)]);
  });
});

describe('secret-in-prompt', () => {
  const id = 'secret-in-prompt';

  it('reports secrets in prompt and append_system_prompt, and not in env', () => {
    const yaml = flow(
      'name: w',
      'secrets: [TOKEN]',
      'steps:',
      '  - id: a',
      '    type: claude_code',
      "    env: { GITHUB_TOKEN: '{{secrets.TOKEN}}' }",
      '    prompt: |',
      '      Read the issues.',
      '      Use the token {{secrets.TOKEN}}.',
      "    append_system_prompt: 'Token: {{secrets.TOKEN}}'",
    );
    expect(lint(id, yaml)).toEqual([at(yaml, 9, 'secrets', id), at(yaml, 10, 'secrets', id)]);
  });

  it('is quiet when the prompt only tests a secret', () => {
    const yaml = flow(
      'name: w',
      'secrets: [TOKEN]',
      'steps:',
      "  - { id: a, type: claude_code, prompt: '{{#if secrets.TOKEN}}You may push.{{/if}}' }",
    );
    expect(lint(id, yaml)).toEqual([]);
  });
});

/**
 * The docs' examples of these rules hold placeholders (`ghp_…`), not strings
 * of the credential's shape: the generated docs page must not itself hold
 * something a secret scanner flags.
 */
const PLACEHOLDER_EXAMPLES = new Set([
  'hardcoded-aws-key',
  'hardcoded-github-token',
  'hardcoded-anthropic-key',
  'hardcoded-private-key',
  'hardcoded-slack-token',
]);

describe('the security catalogue', () => {
  it.each(SECURITY_RULES.map((r) => [r.id, r] as const))(
    "%s: the docs' bad example is reported, the good one not",
    (_, r) => {
      if (!PLACEHOLDER_EXAMPLES.has(r.id)) expect(lintYaml(`name: w\n${r.docs.bad!}\n`, [r]).length).toBeGreaterThan(0);
      expect(lintYaml(`name: w\n${r.docs.good!}\n`, [r])).toEqual([]);
    },
  );

  it('has unique ids, the security category, and docs with examples for every rule', () => {
    const ids = SECURITY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(12);
    for (const r of SECURITY_RULES) {
      expect(r).toMatchObject({ category: 'security', id: expect.stringMatching(/^[a-z]+(?:-[a-z0-9]+)*$/) });
      expect([r.docs.why, r.docs.fix, r.docs.bad, r.docs.good].every((text) => (text ?? '').length > 0)).toBe(true);
    }
  });
});
