import { errorMessage } from '@flowline/core';

/** Something the queue could not hand to a caller: a lost connection, a handler's error, a dropped report. */
export interface QueueLogEntry {
  readonly level: 'warn' | 'error';
  readonly message: string;
  readonly error?: unknown;
  /** The BullMQ job concerned, when there is one. */
  readonly jobId?: string;
}

export type QueueLog = (entry: QueueLogEntry) => void;

/** One line on stderr per entry: the default, so nothing the queue swallows goes unseen. */
export const stderrQueueLog: QueueLog = (entry) => {
  const job = entry.jobId === undefined ? '' : ` [${entry.jobId}]`;
  const cause = entry.error === undefined ? '' : `: ${errorMessage(entry.error)}`;
  process.stderr.write(`flowline queue ${entry.level}${job}: ${entry.message}${cause}\n`);
};
