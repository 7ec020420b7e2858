import { Queue } from 'bullmq';

import { type QueueLog, stderrQueueLog } from './queue-log.js';
import { REPORTS_QUEUE, STEP_QUEUES } from './queue-names.js';
import { type RedisTarget, checkedPrefix, closeRedis, connectRedis } from './redis-client.js';

export interface BoardQueuesOptions extends RedisTarget {
  readonly log?: QueueLog;
}

/** Handles on every Flowline queue, for a dashboard (bull-board) to look into. */
export interface BoardQueues {
  /** One per step-type queue, then the reports queue. */
  readonly queues: readonly Queue[];
  /** Resolves when Redis answers a PING: for a readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a Queue handle on each step queue and on the reports queue over one
 * Redis connection of their own, so a dashboard never shares (or delays)
 * the dispatcher's. The handles add nothing themselves; the dashboard is
 * told to be read-only by whoever mounts it.
 */
export async function openBoardQueues(options: BoardQueuesOptions): Promise<BoardQueues> {
  const log = options.log ?? stderrQueueLog;
  const prefix = checkedPrefix(options.prefix);
  const client = await connectRedis(options, log);
  const queues = [...STEP_QUEUES, REPORTS_QUEUE].map((name) => {
    const queue = new Queue(name, { connection: client, prefix });
    queue.on('error', (error) => log({ level: 'warn', message: `${name} queue (board)`, error }));
    return queue;
  });
  let closed: Promise<void> | undefined;
  return {
    queues,
    async ping() {
      await client.ping();
    },
    close() {
      closed ??= Promise.all(queues.map((queue) => queue.close())).then(() => closeRedis(client));
      return closed;
    },
  };
}
