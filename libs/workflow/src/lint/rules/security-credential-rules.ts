import type { SourceSpan } from '@flowline/core';

import type { ValuePath } from '../../source/source-positions.js';
import { stringLeaves } from '../../validate/template-fields.js';
import type { LintContext, LintRule } from '../lint-rule.js';
import {
  ANTHROPIC_KEY,
  AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY,
  type CredentialMatch,
  type CredentialPattern,
  GITHUB_TOKEN,
  PRIVATE_KEY,
  SLACK_TOKEN,
  SLACK_WEBHOOK_URL,
  findCredentials,
} from './secret-patterns.js';
import { describePath, literalCredentials } from './security-credential-names.js';

const STORE_AS_SECRET =
  'revoke it (it is in the history now), declare it in `secrets:`, and read it as `{{secrets.NAME}}`, ' +
  "through the step's `env:` for a script.";

const STRINGS = new WeakMap<object, readonly [ValuePath, string][]>();

/**
 * Every string in the workflow (metadata and `x-` fields included), with its
 * path: collected once per workflow, since every credential rule reads them.
 */
function workflowStrings(context: LintContext): readonly [ValuePath, string][] {
  let strings = STRINGS.get(context.definition);
  if (strings === undefined) {
    strings = stringLeaves(context.definition, []);
    STRINGS.set(context.definition, strings);
  }
  return strings;
}

/**
 * Each pattern's credentials in every string of the workflow and in template
 * files, at the credential's place; a value written once and aliased
 * (`*anchor`) is reported once.
 */
function reportCredentials(context: LintContext, patterns: readonly CredentialPattern[]): void {
  const reported = new Set<string>();
  const report = (path: ValuePath, match: CredentialMatch, at: SourceSpan, where: string): void => {
    const key = `${at.line}:${at.column}:${match.credential}`;
    if (reported.has(key)) return;
    reported.add(key);
    const stepId = path[0] === 'steps' ? context.definition.steps[path[1] as number]?.id : undefined;
    context.report({
      message: `${where} holds ${match.label} (${match.shown}) in plain text, for anyone who reads the workflow; revoke it and read it from secrets`,
      path,
      at,
      ...(stepId === undefined ? {} : { stepId }),
    });
  };
  for (const [path, value] of workflowStrings(context)) {
    const matches = credentialsIn(path, value, patterns);
    // An alias (`*token`) repeats what its anchor writes, and is reported there.
    if (matches.length === 0 || context.positions.aliasAt(path) !== undefined) continue;
    for (const match of matches) {
      report(path, match, context.spanOf(path, match.credential), describePath(context, path));
    }
  }
  for (const { path, file, text } of templateFiles(context)) {
    for (const match of patterns.flatMap((pattern) => findCredentials(text, pattern))) {
      report(path, match, context.positions.valueSpan(path), `template file ${file}`);
    }
  }
}

/** Also `aws_secret_access_key: …` written as a key and its value, which the text pattern cannot see. */
function credentialsIn(path: ValuePath, value: string, patterns: readonly CredentialPattern[]): CredentialMatch[] {
  const key = path.at(-1);
  const text = typeof key === 'string' && /aws_secret_access_key$/i.test(key) ? `${key}=${value}` : value;
  return patterns.flatMap((pattern) => findCredentials(pattern === AWS_SECRET_ACCESS_KEY ? text : value, pattern));
}

function templateFiles(context: LintContext): { path: ValuePath; file: string; text: string }[] {
  return context.definition.steps.flatMap((step, index) => {
    const compiled = context.workflow.steps.get(step.id);
    if (compiled?.type !== 'template' || compiled.templateFile === undefined) return [];
    return [{ path: ['steps', index, 'template_file'], file: compiled.templateFile, text: compiled.template.source }];
  });
}

function credentialRule(
  id: string,
  patterns: readonly CredentialPattern[],
  summary: string,
  docs: { why: string; bad: string; good: string },
): LintRule {
  return {
    id,
    category: 'security',
    severity: 'error',
    summary,
    docs: { ...docs, fix: `Remove it from the file, ${STORE_AS_SECRET}` },
    check: (context) => reportCredentials(context, patterns),
  };
}

const WHY_SHAPE =
  'Every string in the workflow is searched (scripts, prompts, env, headers, bodies, `metadata`, `x-` ' +
  'fields, template files); the message shows only the first four characters. Values of one repeated ' +
  'symbol and AWS documentation keys (`…EXAMPLE`) are placeholders and not reported.';

export const HARDCODED_AWS_KEY = credentialRule(
  'hardcoded-aws-key',
  [AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY],
  'An AWS access key ID (`AKIA…`, `ASIA…`) or secret access key written into the workflow.',
  {
    why: `A workflow file is read, copied and kept in version control; a key in it is a key handed to everyone who can read it. ${WHY_SHAPE}`,
    bad: [
      'steps:',
      '  - id: sync',
      '    type: shell',
      '    env: { AWS_ACCESS_KEY_ID: AKIA… }',
      '    run: aws s3 sync out s3://bucket',
    ].join('\n'),
    good: [
      'secrets: [AWS_ACCESS_KEY_ID]',
      'steps:',
      '  - id: sync',
      '    type: shell',
      "    env: { AWS_ACCESS_KEY_ID: '{{secrets.AWS_ACCESS_KEY_ID}}' }",
      '    run: aws s3 sync out s3://bucket',
    ].join('\n'),
  },
);

export const HARDCODED_GITHUB_TOKEN = credentialRule(
  'hardcoded-github-token',
  [GITHUB_TOKEN],
  'A GitHub token (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`) written into the workflow.',
  {
    why: `A token in the file acts for its owner on every repository it can reach, for anyone who reads the file. ${WHY_SHAPE}`,
    bad: ['steps:', '  - id: pr', '    type: shell', '    env: { GH_TOKEN: ghp_… }', '    run: gh pr list'].join('\n'),
    good: [
      'secrets: [GITHUB_TOKEN]',
      'steps:',
      '  - id: pr',
      '    type: shell',
      "    env: { GH_TOKEN: '{{secrets.GITHUB_TOKEN}}' }",
      '    run: gh pr list',
    ].join('\n'),
  },
);

export const HARDCODED_ANTHROPIC_KEY = credentialRule(
  'hardcoded-anthropic-key',
  [ANTHROPIC_KEY],
  'An Anthropic API key (`sk-ant-…`) written into the workflow.',
  {
    why: `Anyone who reads the file can spend on the key. The operator's key reaches claude_code steps without the workflow naming it. ${WHY_SHAPE}`,
    bad: [
      'steps:',
      '  - id: ask',
      '    type: shell',
      '    env: { ANTHROPIC_API_KEY: sk-ant-… }',
      '    run: ./ask.sh',
    ].join('\n'),
    good: [
      'secrets: [ANTHROPIC_API_KEY]',
      'steps:',
      '  - id: ask',
      '    type: shell',
      "    env: { ANTHROPIC_API_KEY: '{{secrets.ANTHROPIC_API_KEY}}' }",
      '    run: ./ask.sh',
    ].join('\n'),
  },
);

export const HARDCODED_PRIVATE_KEY = credentialRule(
  'hardcoded-private-key',
  [PRIVATE_KEY],
  'A PEM private key (`-----BEGIN … PRIVATE KEY-----` with key material after it) written into the workflow.',
  {
    why:
      'A private key in the file is no longer private. Only a header followed by key material is reported: ' +
      `a script that searches files for the header is fine. ${WHY_SHAPE}`,
    bad: [
      'steps:',
      '  - id: ssh',
      '    type: shell',
      '    env: { DEPLOY_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Bl…" }',
      '    run: ./deploy.sh',
    ].join('\n'),
    good: [
      'secrets: [DEPLOY_KEY]',
      'steps:',
      '  - id: ssh',
      '    type: shell',
      "    env: { DEPLOY_KEY: '{{secrets.DEPLOY_KEY}}' }",
      '    run: ./deploy.sh',
    ].join('\n'),
  },
);

export const HARDCODED_SLACK_TOKEN = credentialRule(
  'hardcoded-slack-token',
  [SLACK_TOKEN, SLACK_WEBHOOK_URL],
  'A Slack token (`xoxb-…`, `xoxp-…`) or incoming-webhook URL (`https://hooks.slack.com/services/…`) in the workflow.',
  {
    why: `A Slack webhook URL is itself the credential: whoever has it posts to the channel. ${WHY_SHAPE}`,
    bad: ['steps:', '  - id: notify', '    type: webhook', '    url: https://hooks.slack.com/services/T0…/B0…/…'].join(
      '\n',
    ),
    good: [
      'secrets: [SLACK_WEBHOOK_URL]',
      'steps:',
      '  - id: notify',
      '    type: webhook',
      "    url: '{{secrets.SLACK_WEBHOOK_URL}}'",
    ].join('\n'),
  },
);

/** Everything the shape rules find: what `hardcoded-credential` leaves to them. */
const SHAPED = [
  AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY,
  GITHUB_TOKEN,
  ANTHROPIC_KEY,
  PRIVATE_KEY,
  SLACK_TOKEN,
  SLACK_WEBHOOK_URL,
];

export const HARDCODED_CREDENTIAL: LintRule = {
  id: 'hardcoded-credential',
  category: 'security',
  severity: 'warning',
  summary: 'A literal value for an env variable, header or body field named like a password, token, secret or key.',
  docs: {
    why:
      'A credential without a recognisable shape is still a credential: `DB_PASSWORD: hunter2hunter2` in ' +
      'the file is readable by everyone who reads it. Names ending in `password`, `passwd`, `secret`, ' +
      '`token`, `api_key`, `access_key`, `private_key`, `client_secret` or `credentials` (any case, `_`, ' +
      '`-` or camelCase) are checked in the workflow and step `env:`, webhook `headers:` and `body` fields, ' +
      'and `Authorization` headers with a literal `Bearer`/`Basic`/`token` value. Values with `{{` or `$` ' +
      '(read at run time), shorter than 8 characters, with spaces, of few distinct symbols, or in `<…>` ' +
      '(placeholders) are not reported.',
    fix: `Move the value out of the file: ${STORE_AS_SECRET}`,
    bad: [
      'steps:',
      '  - id: migrate',
      '    type: shell',
      '    env: { DB_PASSWORD: s3cr3t-Pa55w0rd }',
      '    run: ./migrate.sh',
    ].join('\n'),
    good: [
      'secrets: [DB_PASSWORD]',
      'steps:',
      '  - id: migrate',
      '    type: shell',
      "    env: { DB_PASSWORD: '{{secrets.DB_PASSWORD}}' }",
      '    run: ./migrate.sh',
    ].join('\n'),
  },
  check(context) {
    for (const found of literalCredentials(context)) {
      if (SHAPED.some((pattern) => findCredentials(found.value, pattern).length > 0)) continue;
      const stepId = found.path[0] === 'steps' ? context.definition.steps[found.path[1] as number]?.id : undefined;
      context.report({
        message: `${describePath(context, found.path)} is a literal ${found.what} (${found.shown}), readable by anyone who reads the workflow; declare a secret and read it as {{secrets.NAME}}`,
        path: found.path,
        at: context.spanOf(found.path, found.credential),
        ...(stepId === undefined ? {} : { stepId }),
      });
    }
  },
};

export const CREDENTIAL_RULES: readonly LintRule[] = [
  HARDCODED_AWS_KEY,
  HARDCODED_GITHUB_TOKEN,
  HARDCODED_ANTHROPIC_KEY,
  HARDCODED_PRIVATE_KEY,
  HARDCODED_SLACK_TOKEN,
  HARDCODED_CREDENTIAL,
];
