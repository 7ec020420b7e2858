export { type ServeIo, type SignalSource, oneLine, serveWorker, untilSignalled } from './serve-worker.js';
export { KILL_GRACE_MS, type WorkerService, type WorkerServiceOptions, startWorkerService } from './worker-service.js';
