import { hostname } from 'node:os';

import { StepWorker, WorkflowStore, secretsFromEnvironment } from '@flowline/cluster';
import { errorMessage } from '@flowline/core';
import { type ExecutorConfig, loadExecutorConfig } from '@flowline/executors';
import { type BullmqStepConsumer, type QueueLogEntry, createStepConsumer } from '@flowline/queue-bullmq';
import { type Sandbox, checkSandbox, createSandbox } from '@flowline/sandbox';
import { type ClusterStores, type WorkerServiceConfig, openClusterStores } from '@flowline/service-config';

/**
 * SIGTERM to SIGKILL for a step being stopped (cancelled, timed out, or
 * handed back at shutdown). A cancel must end the step's processes within
 * 5 s: the cancel's trip through Redis takes milliseconds, then the step
 * gets SIGTERM and, if it is still there 3 s later, SIGKILL. (bubblewrap
 * dies on SIGTERM and takes its PID namespace with it, so a sandboxed step
 * usually ends at once.)
 */
export const KILL_GRACE_MS = 3_000;

export interface WorkerServiceOptions {
  /** Stored on each job and report; default `<hostname>-<pid>` (a pod's name on Kubernetes). */
  readonly workerId?: string;
  /** Operator messages, one line each; default stderr. */
  readonly log?: (line: string) => void;
}

export interface WorkerService {
  readonly workerId: string;
  /**
   * Graceful unless `force`: takes no new attempts and lets running ones
   * finish and report for up to WORKER_SHUTDOWN_GRACE, then hands the rest
   * back to the queue (their processes are killed) for another worker. A
   * forced call hands back at once, also escalating a graceful one.
   */
  close(options?: { readonly force?: boolean }): Promise<void>;
}

/**
 * The worker service: checks the sandbox, opens the stores and the queue,
 * and runs attempts from the queues in WORKER_QUEUES, WORKER_CONCURRENCY
 * at a time per queue, through the cluster's StepWorker (restore the
 * workspace, look up the cache, run in the sandbox, save, report).
 */
export async function startWorkerService(
  config: WorkerServiceConfig,
  options: WorkerServiceOptions = {},
): Promise<WorkerService> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workerId = options.workerId ?? `${hostname()}-${process.pid}`;
  const say = (message: string) => log(`flowline worker ${workerId}: ${message}`);
  const executor: ExecutorConfig = { ...loadExecutorConfig(config.secretsSource), killGraceMs: KILL_GRACE_MS };
  const sandbox = await readySandbox(config, say);
  const stores = await openClusterStores(config, { warn: say });
  let consumer: BullmqStepConsumer;
  try {
    consumer = await createStepConsumer({
      redisUrl: config.redis.url,
      prefix: config.redis.prefix,
      cluster: config.redis.cluster,
      workerId,
      lockDurationMs: config.lockDurationMs,
      stallIntervalMs: config.lockDurationMs,
      log: (entry) => say(queueLine(entry)),
    });
  } catch (error) {
    await stores.close();
    throw error;
  }
  const worker = new StepWorker({
    ...stores,
    sandbox,
    config: executor,
    clock: Date.now,
    tempDir: config.tempDir,
    warn: say,
    workflows: new WorkflowStore(stores.blobs, config.tempDir),
    consumer,
    workerId,
    secrets: secretsFromEnvironment(config.secretsSource, say),
  });
  const running = new InFlight();
  consumer.consume(config.queues, config.concurrency, (job, signal) => running.track(worker.run(job, signal)));
  return { workerId, close: shutdown(config, { consumer, stores, running, say }) };
}

/** FLOWLINE_SANDBOX, then one tiny step through it: a broken sandbox is one line at start, not a failure per step. */
async function readySandbox(config: WorkerServiceConfig, say: (message: string) => void): Promise<Sandbox> {
  const { sandbox, warning } = createSandbox({ mode: config.sandbox, searchPath: config.secretsSource['PATH'] });
  if (warning !== undefined) say(warning);
  await checkSandbox(sandbox, { scratchDir: config.tempDir, capture: sandbox.capturesChanges });
  return sandbox;
}

/** The attempts this worker runs now, so a shutdown can wait for their processes to be gone. */
class InFlight {
  private readonly attempts = new Set<Promise<void>>();

  track(attempt: Promise<void>): Promise<void> {
    this.attempts.add(attempt);
    const forget = () => void this.attempts.delete(attempt);
    attempt.then(forget, forget);
    return attempt;
  }

  /** Resolves when every attempt running now has ended (resolved or not). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.attempts]);
  }

  get size(): number {
    return this.attempts.size;
  }
}

interface Running {
  readonly consumer: BullmqStepConsumer;
  readonly stores: ClusterStores;
  readonly running: InFlight;
  readonly say: (message: string) => void;
}

function shutdown(config: WorkerServiceConfig, { consumer, stores, running, say }: Running) {
  let closed: Promise<void> | undefined;
  const handBack = () => {
    if (running.size > 0) say(`handing ${running.size} running step(s) back to the queue`);
    void consumer.close({ force: true });
  };
  const graceful = async () => {
    const grace = formatSeconds(config.shutdownGraceMs);
    say(`stopping: taking no new steps; ${running.size} running step(s) have ${grace} to finish`);
    const timer = setTimeout(handBack, config.shutdownGraceMs);
    await consumer.close();
    clearTimeout(timer);
    // After a hand-back the consumer is closed before the handlers have killed their processes: wait for them.
    await running.settled();
    await stores.close();
    say('stopped');
  };
  return (options: { readonly force?: boolean } = {}): Promise<void> => {
    if (options.force === true) handBack();
    closed ??= graceful();
    return closed;
  };
}

function queueLine(entry: QueueLogEntry): string {
  const job = entry.jobId === undefined ? '' : ` [${entry.jobId}]`;
  const cause = entry.error === undefined ? '' : `: ${errorMessage(entry.error)}`;
  return `queue ${entry.level}${job}: ${entry.message}${cause}`;
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
