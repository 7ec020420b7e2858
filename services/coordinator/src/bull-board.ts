import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';

/** A BullMQ queue as bull-board takes it; the coordinator gets them from @flowline/queue-bullmq (openBoardQueues). */
export type BoardQueue = ConstructorParameters<typeof BullMQAdapter>[0];

/** Where the dashboard is mounted. */
export const BULL_BOARD_PATH = '/admin/queues';

/**
 * bull-board over the given queues, as an express handler to mount at
 * BULL_BOARD_PATH. Read-only: a job retried or removed by hand would go
 * around the coordinator, which decides retries from the run state, so
 * the dashboard may look but not act (retries and replays go through the API).
 */
export function bullBoardHandler(queues: readonly BoardQueue[]): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Flowline queues' } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}
