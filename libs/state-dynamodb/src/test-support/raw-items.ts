import { type AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';

import type { DynamoDbStateOptions } from '../dynamodb-state-options.js';

export type RawItem = Record<string, AttributeValue>;

/** Every item of a run as DynamoDB holds it, read with the bare SDK: what the docs promise, checked from outside. */
export async function rawItems(options: DynamoDbStateOptions, runId: string): Promise<RawItem[]> {
  return await rawPartition(options, `RUN#${runId}`);
}

/** Every item with partition key `pk` (`RUN#<id>`, `DLQ`), read with the bare SDK. */
export async function rawPartition(options: DynamoDbStateOptions, pk: string): Promise<RawItem[]> {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  try {
    const output = await client.send(
      new QueryCommand({
        TableName: options.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
      }),
    );
    return output.Items ?? [];
  } finally {
    client.destroy();
  }
}

export function sortKeys(items: readonly RawItem[]): string[] {
  return items.map((item) => item['SK']?.S ?? '');
}

export function expiries(items: readonly RawItem[]): Record<string, number | undefined> {
  return Object.fromEntries(
    items.map((item) => {
      const value = item['expiresAt']?.N;
      return [item['SK']?.S ?? '', value === undefined ? undefined : Number(value)];
    }),
  );
}
