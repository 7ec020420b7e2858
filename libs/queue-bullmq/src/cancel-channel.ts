import type { QueueLog } from './queue-log.js';
import { type RedisClient, closeRedis } from './redis-client.js';

/**
 * The pub/sub channel run cancellations go out on: `<prefix>:cancel`.
 * Classic pub/sub (PUBLISH) reaches the subscribers of every node of a
 * Redis Cluster, so the channel needs no slot; it carries the prefix so
 * deployments sharing a Redis stay apart, and its hash tag keeps it in the
 * queues' slot should it move to sharded pub/sub (SPUBLISH).
 */
export function cancelChannel(prefix: string): string {
  return `${prefix}:cancel`;
}

/** Publishes a run's cancellation to every subscribed consumer. Delivered at most once, to those listening now. */
export async function publishCancel(client: RedisClient, prefix: string, runId: string): Promise<void> {
  await client.publish(cancelChannel(prefix), JSON.stringify({ runId }));
}

export interface CancelSubscription {
  close(): Promise<void>;
}

/**
 * Listens for cancellations on a connection of its own (a subscribed
 * connection can send no other command) and calls `onCancel` with each run
 * id. ioredis subscribes again by itself after a reconnect; a message
 * published while disconnected is lost, which is why a cancel is best
 * effort (a report finding the run cancelled is the backstop).
 */
export async function subscribeCancels(
  client: RedisClient,
  prefix: string,
  onCancel: (runId: string) => void,
  log: QueueLog,
): Promise<CancelSubscription> {
  const channel = cancelChannel(prefix);
  const subscriber = client.duplicate();
  subscriber.on('error', (error: unknown) => log({ level: 'warn', message: 'Redis cancel subscription', error }));
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const runId = runIdOf(message);
    if (runId === undefined)
      log({ level: 'warn', message: `ignored a malformed cancel message: ${message.slice(0, 200)}` });
    else onCancel(runId);
  });
  try {
    await subscriber.subscribe(channel);
  } catch (error) {
    subscriber.disconnect();
    throw error;
  }
  return { close: () => closeRedis(subscriber) };
}

function runIdOf(message: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(message);
    const runId = typeof parsed === 'object' && parsed !== null && 'runId' in parsed ? parsed.runId : undefined;
    return typeof runId === 'string' && runId !== '' ? runId : undefined;
  } catch {
    return undefined;
  }
}
