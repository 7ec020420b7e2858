import { parseDuration } from '@flowline/core';

import type { Environment } from './service-config.js';

/** Names whose values are never printed: a message may end up in a log anyone can read. */
const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|_KEY/;

/**
 * Reads variables and collects one line per problem, so a service started
 * with three mistakes hears about all three at once. Empty values count as
 * unset: `FOO=` in a compose file means "not configured".
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Environment) {}

  /** The trimmed value, or undefined when unset or blank. */
  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** Records `NAME=value: expected …` (the value hidden for secret-like names). */
  bad(name: string, value: string, expected: string): undefined {
    this.problems.push(`${name}=${shown(name, value)}: expected ${expected}`);
    return undefined;
  }

  /** Records `NAME is not set: expected …`. */
  missing(name: string, expected: string): undefined {
    this.problems.push(`${name} is not set: expected ${expected}`);
    return undefined;
  }

  /** Any other problem, already phrased as one line naming the variable. */
  problem(line: string): undefined {
    this.problems.push(line);
    return undefined;
  }

  required(name: string, expected: string): string | undefined {
    return this.text(name) ?? this.missing(name, expected);
  }

  oneOf<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.text(name);
    if (value === undefined) return fallback;
    const choice = choices.find((c) => c === value);
    if (choice !== undefined) return choice;
    this.bad(name, value, `one of ${choices.join(', ')}`);
    return fallback;
  }

  wholeNumber(name: string, range: { readonly min: number; readonly max: number }, fallback: number): number {
    const value = this.text(name);
    if (value === undefined) return fallback;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (n >= range.min && n <= range.max) return n;
    this.bad(name, value, `a whole number from ${range.min} to ${range.max}`);
    return fallback;
  }

  flag(name: string): boolean {
    const value = this.text(name);
    if (value === undefined) return false;
    const lower = value.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(lower)) return true;
    if (['false', '0', 'no', 'off'].includes(lower)) return false;
    this.bad(name, value, 'true or false');
    return false;
  }

  durationMs(name: string, fallbackMs: number): number {
    const value = this.text(name);
    if (value === undefined) return fallbackMs;
    const ms = parseDuration(value);
    if (ms !== undefined) return ms;
    this.bad(name, value, 'a duration such as 30s, 2m or 1m30s');
    return fallbackMs;
  }

  /** An http(s) URL, for server endpoints. */
  httpUrl(name: string): string | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
    if (protocol === 'http:' || protocol === 'https:') return value;
    return this.bad(name, value, 'an http:// or https:// URL, e.g. http://127.0.0.1:4567');
  }

  /** Comma-separated, blanks dropped. */
  list(name: string): string[] | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
  }

  /** Every set variable whose name starts with `prefix`. */
  withPrefix(prefix: string): Record<string, string> {
    const found: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.env)) {
      if (name.startsWith(prefix) && value !== undefined) found[name] = value;
    }
    return found;
  }
}

/** A value as a message shows it: hidden for secrets, quoted when it has spaces or odd characters. */
export function shown(name: string, value: string): string {
  if (SECRET_NAME.test(name)) return '(value hidden)';
  return /^[\x21-\x7e]+$/.test(value) ? value : JSON.stringify(value);
}
