import { createHash } from 'node:crypto';

import { describe, expect, test } from '@jest/globals';

import { flowlineInProcess as flowline } from './support/in-process.js';

describe('flowline token new', () => {
  test('prints a fresh token and the sha256 entry of exactly that token', async () => {
    const result = await flowline(['token', 'new']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [, token = ''] = /^token: (\S+)$/m.exec(result.stdout) ?? [];
    const [, entry = ''] = /^FLOWLINE_API_TOKENS entry: (\S+)$/m.exec(result.stdout) ?? [];
    expect(token).toMatch(/^flt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(entry).toBe(`sha256:${createHash('sha256').update(token).digest('hex')}`);
  });

  test('--json, and never the same token twice', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { token, entry } = JSON.parse((await flowline(['token', 'new', '--json'])).stdout) as Record<
        string,
        string
      >;
      expect(entry).toBe(`sha256:${createHash('sha256').update(token!).digest('hex')}`);
      tokens.add(token!);
    }
    expect(tokens.size).toBe(20);
  });

  test('an unknown subcommand is a usage error', async () => {
    expect(await flowline(['token', 'old'])).toMatchObject({ code: 2, stdout: '' });
  });
});
