export { CONNECTION_DEFAULTS, type DynamoDbConnectionOptions } from './dynamodb-client.js';
export { DynamoDbDeadLetterStore } from './dynamodb-dead-letter-store.js';
export { DynamoDbRunStateStore } from './dynamodb-run-state-store.js';
export { type DynamoDbState, openDynamoDbState } from './dynamodb-state.js';
export { DEFAULT_RETENTION_DAYS, type DynamoDbStateOptions } from './dynamodb-state-options.js';
export { DynamoDbStepLogStore } from './dynamodb-step-log-store.js';
export { MAX_PAYLOAD_BYTES } from './item-size.js';
export { type TableInitResult, tableSpec } from './table-init.js';
