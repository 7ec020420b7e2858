/**
 * Credentials recognisable by their shape. Each pattern finds the credential
 * in a text and says how to show it without revealing it: its first four
 * characters and `…`, never the rest.
 */
export interface CredentialPattern {
  /** What it is, for messages: `an AWS access key ID`. */
  readonly label: string;
  readonly pattern: RegExp;
  /** The group that is the credential, when the pattern matches more (a `key = value` line); 0 by default. */
  readonly group?: number;
  /** False for matches that are not credentials after all (documented examples, headers without a key). */
  readonly accept?: (credential: string, after: string) => boolean;
  /** How a message shows it; the first four characters and `…` unless given. */
  readonly shown?: (credential: string) => string;
}

export interface CredentialMatch {
  readonly label: string;
  /** The credential as it appears in the text (to locate it; never print it). */
  readonly credential: string;
  readonly shown: string;
}

/** `AKIAIOSFODNN7EXAMPLE` and friends: AWS's documentation keys, not secrets. */
const DOCUMENTED = /EXAMPLE/;
/** Random tokens use many symbols; `ghp_xxxx…` or `AKIA0000…` placeholders use a handful. */
const MIN_DISTINCT_SYMBOLS = 6;

export function masked(credential: string): string {
  return `${credential.slice(0, 4)}…`;
}

function looksRandom(credential: string): boolean {
  return !DOCUMENTED.test(credential) && new Set(credential.slice(4)).size >= MIN_DISTINCT_SYMBOLS;
}

export const AWS_ACCESS_KEY_ID: CredentialPattern = {
  label: 'an AWS access key ID',
  pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  accept: looksRandom,
};

export const AWS_SECRET_ACCESS_KEY: CredentialPattern = {
  label: 'an AWS secret access key',
  pattern: /aws_secret_access_key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  group: 1,
  accept: looksRandom,
};

export const GITHUB_TOKEN: CredentialPattern = {
  label: 'a GitHub token',
  pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
  accept: looksRandom,
};

export const ANTHROPIC_KEY: CredentialPattern = {
  label: 'an Anthropic API key',
  pattern: /\bsk-ant-[a-z]+[0-9]*-[A-Za-z0-9_-]{20,}/g,
  accept: looksRandom,
};

/** A PEM header followed by key material (a `grep -- '-----BEGIN …'` check holds only the header). */
export const PRIVATE_KEY: CredentialPattern = {
  label: 'a private key',
  pattern: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g,
  accept: (_, after) => /^(?:\s|\\n|[A-Za-z-]+:[^\n]*\n)*[A-Za-z0-9+/=]{16}/.test(after),
  shown: (header) => header,
};

export const SLACK_TOKEN: CredentialPattern = {
  label: 'a Slack token',
  pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  accept: looksRandom,
};

/** The URL is the credential: whoever has it can post to the channel. */
export const SLACK_WEBHOOK_URL: CredentialPattern = {
  label: 'a Slack webhook URL',
  pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/]{20,}/g,
  accept: (url) => looksRandom(url.replace(/^https:\/\/hooks\.slack\.com\/\w+\//, '').replace(/\//g, '')),
  shown: () => 'https://hooks.slack.com/…',
};

/** Every credential in `text` that `pattern` recognises. */
export function findCredentials(text: string, pattern: CredentialPattern): CredentialMatch[] {
  const found: CredentialMatch[] = [];
  for (const match of text.matchAll(pattern.pattern)) {
    const credential = match[pattern.group ?? 0] ?? match[0];
    const after = text.slice(match.index + match[0].length);
    if (pattern.accept !== undefined && !pattern.accept(credential, after)) continue;
    found.push({ label: pattern.label, credential, shown: (pattern.shown ?? masked)(credential) });
  }
  return found;
}
