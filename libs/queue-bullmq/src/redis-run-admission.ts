import { FlowlineError, ValidationError } from '@flowline/core';
import type { RunAdmission } from '@flowline/ports';

import { ADMIT_RUN } from './commands/admit-run-3.js';
import { RELEASE_RUN } from './commands/release-run-2.js';
import { type QueueLog, stderrQueueLog } from './queue-log.js';
import { type RedisClient, type RedisTarget, checkedPrefix, closeRedis, connectRedis } from './redis-client.js';
import { runScript } from './redis-script.js';
import { runGateKeys } from './run-gate-keys.js';

export interface RunAdmissionOptions extends RedisTarget {
  /** Where connection trouble is reported. Default: stderr. */
  readonly log?: QueueLog;
}

/**
 * Concurrency groups in Redis: each admit and release is one Lua script, so
 * any number of coordinators share a group's slots and line without races.
 * The state is a group's two sorted sets (holders and line, scored by arrival
 * ticket); see docs/queue.md, "Concurrency groups".
 */
export class RedisRunAdmission implements RunAdmission {
  private closed: Promise<void> | undefined;

  /** Connects to Redis (failing after `connectTimeoutMs`). */
  static async create(options: RunAdmissionOptions): Promise<RedisRunAdmission> {
    const prefix = checkedPrefix(options.prefix);
    return new RedisRunAdmission(prefix, await connectRedis(options, options.log ?? stderrQueueLog));
  }

  private constructor(
    private readonly prefix: string,
    private readonly client: RedisClient,
  ) {}

  async admit(group: string, limit: number, runId: string): Promise<boolean> {
    checkArguments(limit, runId);
    const keys = runGateKeys(this.prefix, group);
    const reply = await runScript(this.client, ADMIT_RUN, [keys.holders, keys.line, keys.tickets], [limit, runId]);
    if (reply !== 0 && reply !== 1) throw unexpectedReply(ADMIT_RUN.name, reply);
    return reply === 1;
  }

  async release(group: string, limit: number, runId: string): Promise<string[]> {
    checkArguments(limit, runId);
    const keys = runGateKeys(this.prefix, group);
    const reply = await runScript(this.client, RELEASE_RUN, [keys.holders, keys.line], [limit, runId]);
    if (!isStringArray(reply)) throw unexpectedReply(RELEASE_RUN.name, reply);
    return reply;
  }

  /** One MULTI, so holders and line are read at the same instant. */
  async inspect(group: string): Promise<{ readonly holders: readonly string[]; readonly waiting: readonly string[] }> {
    const keys = runGateKeys(this.prefix, group);
    const replies = await this.client.multi().zrange(keys.holders, 0, -1).zrange(keys.line, 0, -1).exec();
    const [holders, waiting] = (replies ?? []).map(([error, reply]) => {
      if (error !== null) throw error;
      if (!isStringArray(reply)) throw unexpectedReply('ZRANGE', reply);
      return reply;
    });
    if (holders === undefined || waiting === undefined) throw unexpectedReply('MULTI', replies);
    return { holders, waiting };
  }

  close(): Promise<void> {
    this.closed ??= closeRedis(this.client);
    return this.closed;
  }
}

export function createRunAdmission(options: RunAdmissionOptions): Promise<RedisRunAdmission> {
  return RedisRunAdmission.create(options);
}

/** Bad arguments are the caller's bug: refused before they reach Redis, where `tonumber` would make a nil of them. */
function checkArguments(limit: number, runId: string): void {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new ValidationError(
      'invalid_concurrency_limit',
      `a concurrency limit is a whole number from 1, not ${limit}`,
    );
  }
  if (runId === '') throw new ValidationError('invalid_run_id', 'a run id must not be empty');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function unexpectedReply(command: string, reply: unknown): FlowlineError {
  return new FlowlineError('unexpected_redis_reply', `${command} answered ${JSON.stringify(reply)}`, {
    retryable: false,
  });
}
