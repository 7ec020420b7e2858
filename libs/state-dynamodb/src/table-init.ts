import {
  type CreateTableCommandInput,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type TableDescription,
  type TimeToLiveDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { FlowlineError, errorMessage } from '@flowline/core';

import { type TableLocation, errorName, storeError } from './dynamodb-errors.js';
import { ATTR, INDEX } from './table-layout.js';

export interface TableInitResult {
  /** True when this call created the table; false when it existed (or another process created it meanwhile). */
  readonly created: boolean;
  /** `unsupported`: the server has no UpdateTimeToLive (dynalite); items carry `expiresAt` but are never deleted. */
  readonly ttl: 'enabled' | 'unsupported';
}

export interface TableInitOptions {
  /** Give up waiting for the table to turn ACTIVE after this long (default 5 minutes). */
  readonly activeTimeoutMs?: number;
}

/**
 * Indexes hold run records only (no other item has their keys), with the
 * JSON record and version so `list` needs no second read, and the other
 * index's key, which `list` filters on.
 */
function index(name: string, partition: string, other: string): GlobalSecondaryIndex {
  return {
    IndexName: name,
    KeySchema: [
      { AttributeName: partition, KeyType: 'HASH' },
      { AttributeName: ATTR.listKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [ATTR.record, ATTR.version, other] },
  };
}

export function tableSpec(tableName: string): CreateTableCommandInput {
  const attributes = [ATTR.pk, ATTR.sk, ATTR.status, ATTR.workflow, ATTR.listKey];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: ATTR.pk, KeyType: 'HASH' },
      { AttributeName: ATTR.sk, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      index(INDEX.byStatus, ATTR.status, ATTR.workflow),
      index(INDEX.byWorkflow, ATTR.workflow, ATTR.status),
    ],
  };
}

/**
 * Creates the table with its indexes unless it exists, waits until it and
 * its indexes are ACTIVE, checks an existing table has the keys and indexes
 * this store needs, and turns TTL on for `expiresAt`. Safe to run from
 * several processes at once: the losers of CreateTable just wait.
 */
export async function createTableIfMissing(
  client: DynamoDBClient,
  table: TableLocation,
  options: TableInitOptions = {},
): Promise<TableInitResult> {
  const created = await createTable(client, table);
  const description = await waitUntilActive(client, table, options.activeTimeoutMs ?? 300_000);
  checkSchema(description, table);
  return { created, ttl: await enableTtl(client, table) };
}

async function createTable(client: DynamoDBClient, table: TableLocation): Promise<boolean> {
  try {
    await client.send(new CreateTableCommand(tableSpec(table.tableName)));
    return true;
  } catch (error) {
    if (errorName(error) === 'ResourceInUseException') return false;
    throw storeError(error, 'CreateTable', table);
  }
}

/** Polls DescribeTable with a growing delay (DynamoDB takes seconds to create a table; dynalite none). */
async function waitUntilActive(
  client: DynamoDBClient,
  table: TableLocation,
  timeoutMs: number,
): Promise<TableDescription> {
  const deadline = Date.now() + timeoutMs;
  for (let delayMs = 50; ; delayMs = Math.min(delayMs * 2, 2000)) {
    const description = await describe(client, table);
    if (isActive(description)) return description;
    if (Date.now() + delayMs > deadline) {
      const message = `DynamoDB table "${table.tableName}" was not ACTIVE after ${timeoutMs} ms (it is ${description.TableStatus})`;
      throw new FlowlineError('state_unavailable', message, { retryable: true });
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

async function describe(client: DynamoDBClient, table: TableLocation): Promise<TableDescription> {
  try {
    const output = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
    return output.Table ?? {};
  } catch (error) {
    throw storeError(error, 'DescribeTable', table);
  }
}

function isActive(description: TableDescription): boolean {
  const indexes = description.GlobalSecondaryIndexes ?? [];
  return description.TableStatus === 'ACTIVE' && indexes.every((i) => i.IndexStatus === 'ACTIVE');
}

/** A table made by hand or by another version must have our keys; the first write would fail less clearly. */
function checkSchema(description: TableDescription, table: TableLocation): void {
  const wanted = tableSpec(table.tableName);
  const problems: string[] = [];
  if (!sameKeys(description.KeySchema, wanted.KeySchema)) problems.push(`its key is not (${ATTR.pk}, ${ATTR.sk})`);
  for (const want of wanted.GlobalSecondaryIndexes ?? []) {
    const have = description.GlobalSecondaryIndexes?.find((i) => i.IndexName === want.IndexName);
    if (have === undefined || !sameKeys(have.KeySchema, want.KeySchema)) {
      problems.push(`it has no index ${want.IndexName} on (${want.KeySchema?.map((k) => k.AttributeName).join(', ')})`);
    }
  }
  if (problems.length === 0) return;
  const message = `DynamoDB table "${table.tableName}" is not a Flowline state table: ${problems.join('; ')}`;
  throw new FlowlineError('state_table_mismatch', message, { details: { table: table.tableName, problems } });
}

function sameKeys(
  a: readonly { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined,
  b: readonly { AttributeName?: string | undefined; KeyType?: string | undefined }[] | undefined,
): boolean {
  const text = (keys: typeof a) => (keys ?? []).map((k) => `${k.AttributeName}:${k.KeyType}`).join(',');
  return text(a) === text(b);
}

async function enableTtl(client: DynamoDBClient, table: TableLocation): Promise<TableInitResult['ttl']> {
  const description = await describeTtl(client, table);
  if (description?.TimeToLiveStatus === 'ENABLED' || description?.TimeToLiveStatus === 'ENABLING') {
    if (description.AttributeName === ATTR.expiresAt) return 'enabled';
    const message = `DynamoDB table "${table.tableName}" expires items by "${description.AttributeName}", not "${ATTR.expiresAt}"`;
    throw new FlowlineError('state_table_mismatch', message, { details: { table: table.tableName } });
  }
  const spec = { Enabled: true, AttributeName: ATTR.expiresAt };
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: table.tableName, TimeToLiveSpecification: spec }));
    return 'enabled';
  } catch (error) {
    return ttlFailure(error, table);
  }
}

async function describeTtl(client: DynamoDBClient, table: TableLocation): Promise<TimeToLiveDescription | undefined> {
  try {
    const output = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
    return output.TimeToLiveDescription;
  } catch (error) {
    if (errorName(error) === 'UnknownOperationException') return undefined;
    throw storeError(error, 'DescribeTimeToLive', table);
  }
}

function ttlFailure(error: unknown, table: TableLocation): TableInitResult['ttl'] {
  const name = errorName(error);
  if (name === 'UnknownOperationException') return 'unsupported';
  // Another process enabled it between our describe and our update.
  if (name === 'ValidationException' && /already enabled/i.test(errorMessage(error))) return 'enabled';
  throw storeError(error, 'UpdateTimeToLive', table);
}
