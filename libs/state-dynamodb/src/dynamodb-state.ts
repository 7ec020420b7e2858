import { DynamoDbDeadLetterStore } from './dynamodb-dead-letter-store.js';
import { type DynamoDbStateOptions, openTable, settingsOf } from './dynamodb-state-options.js';
import { DynamoDbRunStateStore } from './dynamodb-run-state-store.js';
import { DynamoDbStepLogStore } from './dynamodb-step-log-store.js';
import type { TableInitResult } from './table-init.js';

/** A service's DynamoDB state: the run, log and dead-letter stores on one client and table. */
export interface DynamoDbState {
  readonly runs: DynamoDbRunStateStore;
  readonly logs: DynamoDbStepLogStore;
  readonly deadLetters: DynamoDbDeadLetterStore;
  /** What `init` did, when it ran. */
  readonly init: TableInitResult | undefined;
  /** One DescribeTable: DynamoDB answers and the table exists (for `/readyz`). */
  ping(): Promise<void>;
  /** Closes the client's connections; call it once, last. */
  close(): void;
}

/** Opens the table (creating it first when `init`) and the stores on it. */
export async function openDynamoDbState(options: DynamoDbStateOptions): Promise<DynamoDbState> {
  const settings = settingsOf(options);
  const { table, init } = await openTable(options);
  const runs = new DynamoDbRunStateStore(table, settings, init);
  return {
    runs,
    logs: new DynamoDbStepLogStore(table, settings),
    deadLetters: new DynamoDbDeadLetterStore(table, settings),
    init,
    ping: () => runs.ping(),
    close: () => table.destroy(),
  };
}
