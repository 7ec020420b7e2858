import { ValidationError } from '@flowline/core';

import { type DynamoDbConnectionOptions, createDynamoDbClient, maxConcurrentRequests } from './dynamodb-client.js';
import { DynamoDbTable } from './dynamodb-table.js';
import { type TableInitResult, createTableIfMissing } from './table-init.js';

/**
 * Everything the DynamoDB state needs, from the service's configuration
 * (docs/state-dynamodb.md maps each field to its environment variable).
 */
export interface DynamoDbStateOptions extends DynamoDbConnectionOptions {
  /** `DYNAMODB_TABLE`. */
  readonly tableName: string;
  /** `FLOWLINE_STATE_INIT=true`: create the table (and its indexes and TTL) if it is missing, and wait for it. */
  readonly init?: boolean;
  /** How long a finished run is kept, in days (default 30); DynamoDB's TTL deletes it after. */
  readonly retentionDays?: number;
  /** Epoch milliseconds, for `updatedAt` and log times (default `Date.now`). */
  readonly clock?: () => number;
  /**
   * Called with an error of work that follows a successful write and cannot
   * fail it: giving a finished run's events their expiry. Default: ignored.
   */
  readonly onBackgroundError?: (error: unknown) => void;
}

/** The options after defaults, as the stores use them. */
export interface StateSettings {
  readonly retentionSeconds: number;
  readonly clock: () => number;
  readonly onBackgroundError: (error: unknown) => void;
}

export const DEFAULT_RETENTION_DAYS = 30;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

export function settingsOf(options: DynamoDbStateOptions): StateSettings {
  const days = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (!(days > 0) || !Number.isFinite(days)) {
    throw new ValidationError('state_config_invalid', `retention must be a positive number of days, not ${days}`);
  }
  return {
    retentionSeconds: Math.round(days * 86_400),
    clock: options.clock ?? Date.now,
    onBackgroundError: options.onBackgroundError ?? (() => undefined),
  };
}

/** The table handle, after creating the table when `init` says so. No I/O otherwise. */
export async function openTable(
  options: DynamoDbStateOptions,
): Promise<{ readonly table: DynamoDbTable; readonly init: TableInitResult | undefined }> {
  if (!TABLE_NAME.test(options.tableName)) {
    const message = `DYNAMODB_TABLE "${options.tableName}" is not a table name (3 to 255 of A-Z a-z 0-9 _ . -)`;
    throw new ValidationError('state_config_invalid', message);
  }
  const client = createDynamoDbClient(options);
  const location = { tableName: options.tableName, where: options.endpoint ?? `region ${options.region}` };
  try {
    const init = options.init === true ? await createTableIfMissing(client, location) : undefined;
    return { table: new DynamoDbTable(client, location, maxConcurrentRequests(options)), init };
  } catch (error) {
    client.destroy();
    throw error;
  }
}
