import { createHash, randomBytes } from 'node:crypto';

import { EXIT, UsageError } from '../cli-io.js';
import type { Command } from '../command.js';

/** 32 random bytes: a token nobody guesses; `flt_` marks it as Flowline's for secret scanners. */
const TOKEN_BYTES = 32;

/** A fresh API token: `flt_` and 43 base64url characters. */
export function newApiToken(): string {
  return `flt_${randomBytes(TOKEN_BYTES).toString('base64url')}`;
}

/** What FLOWLINE_API_TOKENS holds for a token: its SHA-256, so the coordinator's environment gives nobody access. */
export function apiTokenEntry(token: string): string {
  return `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Make an API token for a coordinator, and its FLOWLINE_API_TOKENS entry',
  usage: 'flowline token new [--json]',
  details: [
    'Give the token to the client (Authorization: Bearer <token>) and add the entry to the',
    "coordinator's FLOWLINE_API_TOKENS (comma-separated). The token is shown once and stored nowhere.",
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  optionHelp: { json: 'print {"token", "entry"} as JSON' },
  positionals: [1, 1],
  run(args, io) {
    if (args.positionals[0] !== 'new') throw new UsageError('token has one subcommand, new', 'token');
    const token = newApiToken();
    const entry = apiTokenEntry(token);
    const text =
      args.values['json'] === true
        ? `${JSON.stringify({ token, entry })}\n`
        : `token: ${token}\nFLOWLINE_API_TOKENS entry: ${entry}\n`;
    io.stdout.write(text);
    return Promise.resolve(EXIT.ok);
  },
};
