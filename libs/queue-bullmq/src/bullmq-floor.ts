import { Queue, Worker } from 'bullmq';

import { stderrQueueLog } from './queue-log.js';
import { type RedisClient, type RedisTarget, checkedPrefix, closeRedis, connectRedis } from './redis-client.js';

export interface BullmqFloorOptions extends RedisTarget {
  readonly jobs: number;
  /** BullMQ Workers, each on its own connection as each Flowline worker is. */
  readonly workers: number;
  /** Jobs each Worker runs at once. */
  readonly concurrency: number;
  /** Jobs per `addBulk` call. Default 1,000. */
  readonly batch?: number;
}

export interface BullmqFloorResult {
  readonly jobs: number;
  readonly ms: number;
  readonly jobsPerSecond: number;
}

const FLOOR_QUEUE = 'floor';

/**
 * The floor the cluster benchmark sets Flowline's step throughput against:
 * bare BullMQ on the same Redis, with nothing of Flowline's. `jobs` tiny
 * jobs are added with `addBulk` while `workers` Workers of `concurrency`
 * each run a processor that does nothing; completed jobs are removed.
 * Timed from the first add to the last completion. It lives here because
 * only this package may import bullmq.
 */
export async function measureBullmqFloor(options: BullmqFloorOptions): Promise<BullmqFloorResult> {
  const prefix = checkedPrefix(options.prefix);
  const clients: RedisClient[] = [];
  const connect = async () => {
    const client = await connectRedis(options, stderrQueueLog);
    clients.push(client);
    return client;
  };
  const queue = new Queue(FLOOR_QUEUE, { connection: await connect(), prefix });
  const workers: Worker[] = [];
  try {
    let completed = 0;
    let allDone = () => undefined as void;
    const done = new Promise<void>((resolve) => (allDone = resolve));
    for (let i = 0; i < options.workers; i++) {
      const worker = new Worker(FLOOR_QUEUE, () => Promise.resolve(), {
        connection: await connect(),
        prefix,
        concurrency: options.concurrency,
      });
      worker.on('completed', () => {
        if (++completed === options.jobs) allDone();
      });
      workers.push(worker);
    }
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    const start = performance.now();
    await addAll(queue, options.jobs, options.batch ?? 1_000);
    await done;
    const ms = performance.now() - start;
    return { jobs: options.jobs, ms, jobsPerSecond: (options.jobs / ms) * 1000 };
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await queue.obliterate({ force: true });
    await queue.close();
    await Promise.all(clients.map(closeRedis));
  }
}

async function addAll(queue: Queue, jobs: number, batch: number): Promise<void> {
  for (let first = 0; first < jobs; first += batch) {
    const count = Math.min(batch, jobs - first);
    const bulk = Array.from({ length: count }, (_, i) => ({
      name: 'floor',
      data: { n: first + i },
      opts: { removeOnComplete: true, removeOnFail: true },
    }));
    await queue.addBulk(bulk);
  }
}
