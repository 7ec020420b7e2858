import { describe, expect, it } from '@jest/globals';

import { lintWorkflow } from '../lint-workflow.js';
import { lintYaml, placesOf } from '../test-support/lint-yaml.js';
import { SECURITY_RULES } from './security-rules.js';
import { at, flow, lint, messagesOf, rule } from './test-support/security-lint.js';

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
