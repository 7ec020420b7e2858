import { FlowlineError, STEP_TYPES, type StepType } from '@flowline/core';

/** A step type that runs on a worker: `conditional` is decided by the scheduler itself and is never queued. */
export type QueuedStepType = Exclude<StepType, 'conditional'>;

/** One BullMQ queue per step type, named after it, so `claude_code` workers scale apart from cheap steps. */
export const STEP_QUEUES: readonly QueuedStepType[] = STEP_TYPES.filter(
  (type): type is QueuedStepType => type !== 'conditional',
);

/** Workers' reports to the coordinators. Step types are `[a-z_]` words, so no step queue can take this name. */
export const REPORTS_QUEUE = 'reports';

/** The queue of a step type; an unknown type is a programming error, not a queue to create on the fly. */
export function stepQueueName(stepType: string): QueuedStepType {
  const queue = STEP_QUEUES.find((name) => name === stepType);
  if (queue === undefined) {
    throw new FlowlineError(
      'unknown_step_queue',
      `no queue for step type "${stepType}" (queues: ${STEP_QUEUES.join(', ')})`,
    );
  }
  return queue;
}
