import { describe, expect, it } from '@jest/globals';

import type { LintRule } from '../lint-rule.js';
import { lintWorkflow } from '../lint-workflow.js';
import { lintYaml, placesOf } from '../test-support/lint-yaml.js';
import { SECURITY_RULES } from './security-rules.js';

function rule(id: string): LintRule {
  const found = SECURITY_RULES.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no security rule ${id}`);
  return found;
}

function lint(id: string, yaml: string): string[] {
  return placesOf(lintYaml(yaml, [rule(id)]));
}

function messagesOf(id: string, yaml: string): string[] {
  return lintYaml(yaml, [rule(id)]).map((d) => d.message);
}

const HEAD = [
  'name: w',
  'inputs:',
  '  dir: { type: string }',
  '  list: { type: array }',
  '  count: { type: integer }',
  '  mode: { type: string, enum: [fast, full] }',
  'secrets: [TOKEN]',
  "env: { OUT: '{{inputs.dir}}', FIXED: build, AUTH: 'Bearer {{secrets.TOKEN}}' }",
  'steps:',
  '  - id: a',
  '    type: shell',
  '    run: |',
];

/** A workflow whose one shell step runs `lines`; script line k is file line HEAD.length + k. */
function script(...lines: string[]): string {
  return `${[...HEAD, ...lines.map((line) => `      ${line}`)].join('\n')}\n`;
}

/** `line:column id` of `needle` in script line `k` (1-based): where a finding must point. */
function inScript(lines: readonly string[], k: number, needle: string, id: string): string {
  const column = lines[k - 1]!.indexOf(needle);
  if (column === -1) throw new Error(`"${needle}" is not in line ${k}`);
  return `${HEAD.length + k}:${7 + column} ${id}`;
}

function flow(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** `line:column id` of the first `needle` on `line` of `yaml`, optionally after `after`. */
function at(yaml: string, line: number, needle: string, id: string, after = ''): string {
  const text = yaml.split('\n')[line - 1]!;
  const column = text.indexOf(needle, after === '' ? 0 : text.indexOf(after));
  if (column === -1 || (after !== '' && text.indexOf(after) === -1))
    throw new Error(`"${needle}" is not on line ${line}`);
  return `${line}:${column + 1} ${id}`;
}

/** Fake credentials, assembled so that this file itself holds none a scanner would flag. */
const FAKE = {
  aws: 'AKIA' + 'Q3EGRZ7WL5XJ2B4H',
  awsSecret: 'wJalrXUt' + 'nFEMIK7MDENGbPxRfiCYzK9d3f8QeT2m',
  github: 'ghp_' + 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5h',
  githubPat: 'github_pat_' + '11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789abcdefGHIJKLmnop',
  anthropic: 'sk-ant-' + 'api03-Zx8Kq2Lm9Np4Rt7Vw1Yb5Cd3Fg6Hj0Ks',
  slackWebhook: 'https://hooks.slack.com/services/' + 'T0A1B2C3D/B4E5F6G7H/q8W9e0R1t2Y3u4I5o6P7a8S9',
  slackToken: 'xoxb-' + '1234567890-0987654321-aBcDeFgHiJkLmNoPqRsT',
};

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

describe('hard-coded credentials', () => {
  it('reports each kind at its place, anywhere in the workflow, without printing it', () => {
    const yaml = flow(
      'name: w',
      `metadata: { note: "key ${FAKE.aws}" }`,
      `x-shared: &token ${FAKE.github}`,
      'steps:',
      '  - id: a',
      '    type: shell',
      `    env: { GH: *token, PAT: ${FAKE.githubPat}, KEY: ${FAKE.anthropic} }`,
      '    run: |',
      '      cat > ~/.aws/credentials <<EOF',
      `      aws_secret_access_key = ${FAKE.awsSecret}`,
      '      EOF',
      `  - { id: n, type: webhook, url: "${FAKE.slackWebhook}", headers: { X-Token: ${FAKE.slackToken} } }`,
    );
    const rules = SECURITY_RULES.filter((r) => r.id.startsWith('hardcoded-'));
    const found = lintYaml(yaml, rules);
    expect(placesOf(found)).toEqual([
      at(yaml, 2, FAKE.aws, 'hardcoded-aws-key'),
      at(yaml, 3, FAKE.github, 'hardcoded-github-token'), // once: the alias below repeats it
      at(yaml, 7, FAKE.githubPat, 'hardcoded-github-token'),
      at(yaml, 7, FAKE.anthropic, 'hardcoded-anthropic-key'),
      at(yaml, 10, FAKE.awsSecret, 'hardcoded-aws-key'),
      at(yaml, 12, FAKE.slackWebhook, 'hardcoded-slack-token'),
      at(yaml, 12, FAKE.slackToken, 'hardcoded-slack-token'),
    ]);
    const messages = found.map((d) => d.message).join('\n');
    for (const credential of Object.values(FAKE)) expect(messages).not.toContain(credential.slice(5));
    expect(found[0]!.message).toBe(
      'metadata.note holds an AWS access key ID (AKIA…) in plain text, for anyone who reads the workflow; revoke it and read it from secrets',
    );
  });

  it('reports an AWS secret key given as an env value by its name', () => {
    const yaml = flow(
      'name: w',
      'steps:',
      `  - { id: a, type: shell, env: { AWS_SECRET_ACCESS_KEY: ${FAKE.awsSecret} }, run: echo }`,
    );
    expect(lint('hardcoded-aws-key', yaml)).toEqual([at(yaml, 3, FAKE.awsSecret, 'hardcoded-aws-key')]);
  });

  it('reports a private key with key material, not a search for the header', () => {
    const yaml = flow(
      'name: w',
      'steps:',
      '  - id: a',
      '    type: shell',
      '    env:',
      '      KEY: |',
      '        -----BEGIN OPENSSH PRIVATE KEY-----',
      '        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
      '        -----END OPENSSH PRIVATE KEY-----',
      "    run: grep -rl -- '-----BEGIN RSA PRIVATE KEY-----' . || true",
    );
    expect(lint('hardcoded-private-key', yaml)).toEqual([at(yaml, 7, '-----BEGIN', 'hardcoded-private-key')]);
    expect(messagesOf('hardcoded-private-key', yaml)[0]).toContain('(-----BEGIN OPENSSH PRIVATE KEY-----)');
  });

  it('is quiet on secrets read at run time, placeholders and documentation keys', () => {
    const yaml = flow(
      'name: w',
      'secrets: [GH]',
      'steps:',
      '  - id: a',
      '    type: shell',
      "    env: { GH: '{{secrets.GH}}', EXAMPLE: AKIAIOSFODNN7EXAMPLE, PLACEHOLDER: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx }",
      '    run: echo "set GH to a token like ghp_… or sk-ant-…"',
    );
    expect(
      placesOf(
        lintYaml(
          yaml,
          SECURITY_RULES.filter((r) => r.id.startsWith('hardcoded-')),
        ),
      ),
    ).toEqual([]);
  });

  it('scans template files too, reporting at template_file', () => {
    const yaml = flow('name: w', 'steps:', '  - { id: r, type: template, template_file: r.md.hbs, output: r.md }');
    const found = lintWorkflow(yaml, {
      file: 'wf.yaml',
      rules: [rule('hardcoded-github-token')],
      readTemplateFile: () => ({ ok: true, text: `token: ${FAKE.github}\n`, file: 'r.md.hbs' }),
    });
    expect(placesOf(found)).toEqual([at(yaml, 3, 'r.md.hbs', 'hardcoded-github-token')]);
    expect(found[0]!.message).toContain('template file r.md.hbs holds a GitHub token (ghp_…)');
  });
});

describe('hardcoded-credential', () => {
  const id = 'hardcoded-credential';

  it('reports literal values under credential names in env, headers and bodies', () => {
    const yaml = flow(
      'name: w',
      'env: { DB_PASSWORD: s3cr3t-Pa55w0rd }',
      'steps:',
      '  - id: n',
      '    type: webhook',
      '    url: https://api.example.com/x',
      '    headers: { Authorization: Bearer 9f8e7d6c5b4a3210, X-Api-Key: k3y-v4lu3-9x8y }',
      '    body: { user: bot, clientSecret: Zq9-Wx8-Yv7-Ut6 }',
    );
    expect(lint(id, yaml)).toEqual([
      at(yaml, 2, 's3cr3t', id),
      at(yaml, 7, '9f8e', id),
      at(yaml, 7, 'k3y', id),
      at(yaml, 8, 'Zq9', id),
    ]);
    expect(messagesOf(id, yaml)[0]).toBe(
      'env.DB_PASSWORD is a literal password (s3cr…), readable by anyone who reads the workflow; declare a secret and read it as {{secrets.NAME}}',
    );
  });

  it('is quiet on templates, variables, numbers, short or placeholder values, and other names', () => {
    const yaml = flow(
      'name: w',
      'secrets: [PW]',
      'env:',
      "  DB_PASSWORD: '{{secrets.PW}}'",
      '  API_TOKEN: $API_TOKEN_FROM_CI',
      '  MAX_TOKEN: 4096',
      '  SECRET: short',
      "  ACCESS_KEY: '<your-access-key>'",
      '  TOKEN_FILE: /run/secrets/token.txt',
      '  PASSWORD: xxxxxxxxxxxx',
      `  GH_TOKEN: ${FAKE.github}`,
      'steps:',
      "  - { id: a, type: webhook, url: 'https://x.example.com', headers: { Authorization: 'Bearer {{secrets.PW}}' } }",
    );
    expect(lint(id, yaml)).toEqual([]);
  });
});

describe('claude-code-full-profile', () => {
  it('reports profile full, at the profile', () => {
    const yaml = flow(
      'name: w',
      'steps:',
      '  - { id: a, type: claude_code, prompt: go, profile: full }',
      '  - { id: b, type: claude_code, prompt: go, profile: run-tests }',
    );
    expect(lint('claude-code-full-profile', yaml)).toEqual([at(yaml, 3, 'full', 'claude-code-full-profile')]);
  });
});

describe('claude-code-network', () => {
  const id = 'claude-code-network';

  it("reports a claude_code step's own sandbox.network and web tools, not defaults", () => {
    const yaml = flow(
      'name: w',
      'defaults: { sandbox: { network: true } } # shell steps fetch packages',
      'steps:',
      '  - id: a',
      '    type: claude_code',
      '    prompt: go',
      '    sandbox: { network: true } # reads the docs site',
      '  - { id: b, type: claude_code, prompt: go, allowed_tools: [Read, WebFetch, "WebSearch(docs)"] }',
      '  - { id: c, type: claude_code, prompt: go }',
      '  - { id: d, type: shell, run: npm ci, sandbox: { network: true } } # the registry',
    );
    expect(lint(id, yaml)).toEqual([
      at(yaml, 7, 'true', id),
      at(yaml, 8, 'WebFetch', id),
      at(yaml, 8, '"WebSearch', id),
    ]);
  });
});

describe('network-without-comment', () => {
  const id = 'network-without-comment';

  it('reports sandbox.network: true in defaults and steps with no comment saying why', () => {
    const yaml = flow(
      'name: w',
      'defaults:',
      '  sandbox: { network: true }',
      'steps:',
      '  - { id: a, type: shell, run: npm ci, sandbox: { network: true } }',
      '  # ----',
      '  - { id: b, type: shell, run: npm ci, sandbox: { network: true } }',
      '  - { id: c, type: shell, run: npm ci, sandbox: { network: true } } # flowline-lint-disable-line npx-unpinned',
    );
    expect(lint(id, yaml)).toEqual([3, 5, 7, 8].map((line) => at(yaml, line, 'true', id)));
  });

  it('is quiet with a comment on the line, above it, above sandbox:, or as a suppression reason', () => {
    const yaml = flow(
      'name: w',
      'steps:',
      '  - { id: a, type: shell, run: npm ci, sandbox: { network: true } } # npm ci downloads packages',
      '  # The registry serves the packages.',
      '  - { id: b, type: shell, run: npm ci, sandbox: { network: true } }',
      '  - id: c',
      '    type: shell',
      '    run: npm ci',
      '    # npm ci downloads packages',
      '    sandbox:',
      '      memory: 1GiB',
      '      network: true',
      '  - id: d',
      '    type: shell',
      '    run: npm ci',
      '    sandbox: { network: false }',
      '  - { id: e, type: shell, run: git fetch, sandbox: { network: true } } # flowline-lint-disable-line x -- git fetch needs it',
    );
    expect(lint(id, yaml)).toEqual([]);
  });
});

describe('plain-http-webhook', () => {
  const id = 'plain-http-webhook';

  it('reports http:// to another host, including a templated host, at the url', () => {
    const yaml = flow(
      'name: w',
      'inputs: { host: { type: string }, url: { type: string } }',
      'steps:',
      '  - { id: a, type: webhook, url: http://hooks.example.com/deploy }',
      "  - { id: b, type: webhook, url: 'http://{{inputs.host}}/deploy' }",
      '  - { id: c, type: webhook, url: https://hooks.example.com/deploy }',
      '  - { id: d, type: webhook, url: "http://localhost:8080/x" }',
      '  - { id: e, type: webhook, url: "http://127.0.0.1/x" }',
      "  - { id: f, type: webhook, url: 'http://[::1]:9000/x' }",
      "  - { id: g, type: webhook, url: '{{inputs.url}}' }",
      '  - { id: h, type: webhook, url: "http://api.localhost/x" }',
    );
    expect(lint(id, yaml)).toEqual([at(yaml, 4, 'http:', id), at(yaml, 5, 'http:', id)]);
  });
});

describe('the security catalogue', () => {
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
