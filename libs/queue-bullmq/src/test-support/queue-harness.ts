import { BullmqStepConsumer, type StepConsumerOptions } from '../bullmq-step-consumer.js';
import { BullmqStepDispatcher, type StepDispatcherOptions } from '../bullmq-step-dispatcher.js';
import type { QueueLogEntry } from '../queue-log.js';
import { collectingLog, uniquePrefix } from './queue-fixtures.js';

/** Fast stall detection for tests: a dead worker's job is back within about a second. */
export const FAST_STALLS = { lockDurationMs: 1_000, stallIntervalMs: 250 } as const;

/**
 * Dispatchers and consumers of one test: a prefix of their own, a log kept
 * for assertions, and everything closed after the test (consumers with
 * force, so a stuck handler cannot hang the suite).
 */
export class QueueHarness {
  readonly prefix = uniquePrefix();
  private readonly logged = collectingLog();
  private readonly closers: (() => Promise<void>)[] = [];

  constructor(
    readonly redisUrl: string,
    private readonly target: { readonly cluster?: boolean } = {},
  ) {}

  get logEntries(): readonly QueueLogEntry[] {
    return this.logged.entries;
  }

  async dispatcher(options: Partial<StepDispatcherOptions> = {}): Promise<BullmqStepDispatcher> {
    const dispatcher = await BullmqStepDispatcher.create({
      ...this.base(),
      reportRetry: { delayMs: 20, maxDelayMs: 100 },
      ...options,
    });
    this.closers.push(() => dispatcher.close());
    return dispatcher;
  }

  async consumer(options: Partial<StepConsumerOptions> = {}): Promise<BullmqStepConsumer> {
    const consumer = await BullmqStepConsumer.create({ ...this.base(), workerId: 'test-worker', ...options });
    this.closers.push(() => consumer.close({ force: true }));
    return consumer;
  }

  /** What a child process needs to join this test's queues (see queue-child.ts). */
  childConfig(extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...this.base(), log: undefined, ...extra });
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close();
  }

  private base() {
    return { redisUrl: this.redisUrl, prefix: this.prefix, log: this.logged.log, ...this.target };
  }
}
