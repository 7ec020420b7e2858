export { type CoordinatorDeps, RunCoordinator } from './run-coordinator.js';
export { type RunView, loadRun } from './run-view.js';
export { type SecretsOf, secretsFor, secretsFromEnvironment } from './secrets-of.js';
export { StepWorker, type WorkerDeps } from './step-worker.js';
export { WorkflowStore } from './workflow-store.js';
export type { ClusterControl, SubmitRequest } from './cluster-control.js';
export { OffloadingRunStateStore, type OffloadingRunStateStoreDeps } from './large-outputs.js';
