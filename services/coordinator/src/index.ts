export { ApiError } from './api-error.js';
export { type ApiLog, type ApiLogEntry, stderrApiLog } from './api-log.js';
export { type ApiRoute, expressPath, openApiPath } from './api-route.js';
export type { CoordinatorAppDeps } from './app-deps.js';
export { DEFAULT_MAX_BODY_BYTES, createCoordinatorApp } from './app.js';
export { parseTokenDigests, tokenDigest } from './auth.js';
export { BULL_BOARD_PATH, type BoardQueue, bullBoardHandler } from './bull-board.js';
export {
  type CoordinatorService,
  type CoordinatorServiceOptions,
  startCoordinatorService,
} from './coordinator-service.js';
export { runIdFor } from './idempotency.js';
