export { assertExecutor } from './assert-executor.js';
export type { AbortReason, ExecutionContext, Executor } from './executor.js';
export { type ExecutorConfig, loadExecutorConfig } from './executor-config.js';
export { OUTPUT_TAIL_BYTES } from './run-process.js';
export { shellExecutor } from './shell-executor.js';
export { templateExecutor } from './template-executor.js';
export { resolveInsideWorkspace } from './workspace-file.js';
