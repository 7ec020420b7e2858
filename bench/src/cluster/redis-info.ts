import type { RedisServer } from '@flowline/test-servers';

/** One line of `INFO commandstats`: a command and how often it ran. */
export interface CommandCount {
  readonly command: string;
  readonly calls: number;
}

/** Zeroes Redis's statistics (`INFO commandstats` among them), so what follows is counted alone. */
export async function resetStats(redis: RedisServer): Promise<void> {
  await redis.command('CONFIG RESETSTAT');
}

/**
 * Calls per command since the last reset, most called first. Commands that
 * Lua scripts run count too (Redis counts them), beside the `evalsha` that
 * ran the script.
 */
export async function commandCounts(redis: RedisServer): Promise<CommandCount[]> {
  const text = String(await redis.command('INFO commandstats'));
  const counts: CommandCount[] = [];
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    counts.push({ command: match[1]!, calls: Number(match[2]) });
  }
  return counts.sort((a, b) => b.calls - a.calls);
}

/** `used_memory` and `used_memory_peak` from `INFO memory`, in bytes. */
export async function memoryUse(redis: RedisServer): Promise<{ readonly used: number; readonly peak: number }> {
  const text = String(await redis.command('INFO memory'));
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { used: field('used_memory'), peak: field('used_memory_peak') };
}
