import { stepJobId } from '@flowline/queue-bullmq';
import type { RedisServer } from '@flowline/test-servers';

import { QUEUE_PREFIX } from './bench-servers.js';
import { BENCH_TYPES } from './bench-workflow.js';
import type { Hop } from './run-timings.js';

/** A hop cut in two at the moment the coordinator queued the step. */
export interface HopSplit {
  /** Last dependency finished → the step's job added: the report's trip, its wait, and the coordinator's transition. */
  readonly coordinatorMs: readonly number[];
  /** Job added → a worker took it (BullMQ's `processedOn`): waiting for a free worker. */
  readonly queueMs: readonly number[];
  /** Taken → the worker's handler started (step_started.at). */
  readonly pickupMs: readonly number[];
}

/**
 * Splits up to `sample` hops using the BullMQ job hashes the queues keep
 * after completion (`<prefix>:<queue>:<job id>`: `timestamp` is when the
 * coordinator added the job, by its clock; `processedOn` when a worker took
 * it, by the worker's). All clocks are this machine's. Read with plain
 * HMGETs, one connection each, so only a sample.
 */
export async function splitHops(redis: RedisServer, hops: readonly Hop[], sample: number): Promise<HopSplit> {
  const every = Math.max(1, Math.floor(hops.length / sample));
  const picked = hops.filter((_, i) => i % every === 0).slice(0, sample);
  const coordinatorMs: number[] = [];
  const queueMs: number[] = [];
  const pickupMs: number[] = [];
  for (const hop of picked) {
    const id = stepJobId({ runId: hop.runId, key: { step: hop.step }, attempt: 1, generation: 0 });
    const reply = await redis.command(`HMGET ${QUEUE_PREFIX}:${BENCH_TYPES[hop.step]}:${id} timestamp processedOn`);
    const [added, taken] = Array.isArray(reply) ? reply.map(Number) : [];
    if (added === undefined || taken === undefined || Number.isNaN(added) || Number.isNaN(taken)) continue;
    coordinatorMs.push(added - hop.readyAt);
    queueMs.push(taken - added);
    pickupMs.push(hop.startedAt - taken);
  }
  return { coordinatorMs, queueMs, pickupMs };
}
