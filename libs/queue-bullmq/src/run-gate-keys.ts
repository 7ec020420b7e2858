import { createHash } from 'node:crypto';

/** The Redis keys of one concurrency group. */
export interface RunGateKeys {
  /** ZSET of the runs holding a slot, scored by arrival ticket. */
  readonly holders: string;
  /** ZSET of the runs waiting, scored by arrival ticket: the line, oldest first. */
  readonly line: string;
  /** The counter handing out arrival tickets, one for every group under the prefix. */
  readonly tickets: string;
}

/**
 * `run-gate` holds a hyphen, which no step type (`[a-z_]` words, each a
 * BullMQ queue under the same prefix) can, so these keys never meet a queue's.
 */
const NAMESPACE = 'run-gate';
/** Kept as they are; anything else is %-escaped, so a group name never holds `:`, `{` or `}`. */
const UNSAFE = /[^A-Za-z0-9_.-]/gu;
/** Longer escaped names are hashed, so a key stays short whatever a template rendered. */
const MAX_NAME_LENGTH = 200;
const LONE_SURROGATE = /^[\uD800-\uDFFF]$/u;

/**
 * The keys of a group: `<prefix>:run-gate:<name>:holders` and `…:line`, and
 * `<prefix>:run-gate:tickets`. The prefix opens every key, so its hash tag
 * is every key's: one Redis Cluster slot, as a script touching all three
 * needs. A group name is any text a template rendered.
 */
export function runGateKeys(prefix: string, group: string): RunGateKeys {
  const base = `${prefix}:${NAMESPACE}:${groupKeyPart(group)}`;
  return { holders: `${base}:holders`, line: `${base}:line`, tickets: `${prefix}:${NAMESPACE}:tickets` };
}

/**
 * A group's name as a key part: %-escaped like a URL component (readable in
 * redis-cli for the usual `owner/repo`), or `#<sha256>` when long. An escaped
 * name never holds `#`, so the two forms cannot meet; nor `:`, so no name's
 * keys can be another's.
 */
export function groupKeyPart(group: string): string {
  const escaped = group.replace(UNSAFE, escapeChar);
  if (escaped.length <= MAX_NAME_LENGTH) return escaped;
  // The escaped form is ASCII and one-to-one, so its hash is the name's.
  return `#${createHash('sha256').update(escaped).digest('hex')}`;
}

function escapeChar(char: string): string {
  // UTF-8 would turn every lone surrogate into the same U+FFFD; `%uXXXX` keeps them apart.
  if (LONE_SURROGATE.test(char)) return `%u${char.charCodeAt(0).toString(16).toUpperCase()}`;
  return Array.from(Buffer.from(char, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(
    '',
  );
}
