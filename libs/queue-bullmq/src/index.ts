export { type AbortCode, abortReason } from './active-jobs.js';
export { type BoardQueues, type BoardQueuesOptions, openBoardQueues } from './board-queues.js';
export { type BullmqFloorOptions, type BullmqFloorResult, measureBullmqFloor } from './bullmq-floor.js';
export { BullmqStepConsumer, type StepConsumerOptions, createStepConsumer } from './bullmq-step-consumer.js';
export { BullmqStepDispatcher, type StepDispatcherOptions, createStepDispatcher } from './bullmq-step-dispatcher.js';
export type { QueueFailureCode } from './failure-report.js';
export { stepJobId } from './job-id.js';
export {
  DEFAULT_REPORT_RETRY,
  type KeepFinished,
  REPORT_RETENTION,
  type ReportRetry,
  type Retention,
  STEP_JOB_RETENTION,
  bullPriority,
} from './job-options.js';
export { type QueueLog, type QueueLogEntry, stderrQueueLog } from './queue-log.js';
export { type QueuedStepType, REPORTS_QUEUE, STEP_QUEUES, stepQueueName } from './queue-names.js';
export { DEFAULT_PREFIX, type RedisTarget, hashTag } from './redis-client.js';
export { RedisRunAdmission, type RunAdmissionOptions, createRunAdmission } from './redis-run-admission.js';
