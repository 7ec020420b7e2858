import { createHash } from 'node:crypto';

import type { RedisClient } from './redis-client.js';

/**
 * A Lua script of ours, run atomically by Redis. Each lives in its own file
 * under `commands/`, named `<name>-<number of keys>.ts` like BullMQ's
 * `.lua` files, and opens with a block listing its KEYS, ARGV and returns.
 * They are TypeScript string constants rather than `.lua` files because the
 * build is a bare `tsc -b`, which copies nothing but compiled TypeScript into
 * `dist`: an embedded script is found the same way from `src` and `dist`.
 */
export interface RedisScript {
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
  /** SHA-1 of `lua`, the name EVALSHA knows it by. */
  readonly sha: string;
}

export function defineScript(name: string, numberOfKeys: number, lua: string): RedisScript {
  return { name, numberOfKeys, lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Runs a script by its SHA, sending the whole text only when Redis does not
 * know it (NOSCRIPT: the first call, or after a restart or SCRIPT FLUSH,
 * which empty Redis's script cache). On a cluster the client routes the call
 * by its first key; every key of one call shares the prefix's hash tag.
 */
export async function runScript(
  client: RedisClient,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  if (keys.length !== script.numberOfKeys) {
    throw new Error(`script ${script.name} takes ${script.numberOfKeys} keys, was given ${keys.length}`);
  }
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.lua, keys.length, ...keys, ...args);
  }
}
