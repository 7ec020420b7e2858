import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from '@jest/globals';

import { newRun } from '../../ports/src/test-support/fixtures.js';
import { DynamoDbRunStateStore } from './dynamodb-run-state-store.js';
import type { DynamoDbStateOptions } from './dynamodb-state-options.js';
import { useDynalite } from './test-support/dynalite-fixture.js';

const dynalite = useDynalite();

function client(options: DynamoDbStateOptions): DynamoDBClient {
  return new DynamoDBClient({ region: options.region, endpoint: options.endpoint!, credentials: options.credentials! });
}

async function open(options: DynamoDbStateOptions): Promise<DynamoDbRunStateStore> {
  return await DynamoDbRunStateStore.create(options);
}

describe('createTableIfMissing (init)', () => {
  it('creates the table with its key and both indexes (TTL: dynalite has none); a second init finds it and changes nothing', async () => {
    const options = dynalite.options({ init: true });
    const first = await open(options);
    expect(first.init).toEqual({ created: true, ttl: 'unsupported' }); // dynalite has no UpdateTimeToLive
    const run = await first.create(newRun());
    const second = await open(options);
    expect(second.init).toEqual({ created: false, ttl: 'unsupported' });
    expect(await second.get(run.runId)).toEqual(run);
    const raw = client(options);
    const { Table } = await raw.send(new DescribeTableCommand({ TableName: options.tableName }));
    raw.destroy();
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema?.map((k) => k.AttributeName)])).toEqual([
      ['byStatus', ['runStatus', 'listKey']],
      ['byWorkflow', ['workflow', 'listKey']],
    ]);
    first.close();
    second.close();
  });

  it('several coordinators starting at once: one creates the table, all of them can use it', async () => {
    const options = dynalite.options({ init: true });
    const stores = await Promise.all([open(options), open(options), open(options)]);
    expect(stores.filter((s) => s.init?.created)).toHaveLength(1);
    const runs = await Promise.all(stores.map((s) => s.create(newRun())));
    expect(await stores[0].list()).toHaveLength(runs.length);
    for (const store of stores) store.close();
  });

  it('refuses a table of the same name that is not a Flowline state table', async () => {
    const options = dynalite.options({ init: true });
    const raw = client(options);
    await raw.send(
      new CreateTableCommand({
        TableName: options.tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    raw.destroy();
    const error = (await open(options).catch((e: unknown) => e)) as { code: string; message: string };
    expect(error.code).toBe('state_table_mismatch');
    expect(error.message).toBe(
      `DynamoDB table "${options.tableName}" is not a Flowline state table: its key is not (PK, SK); ` +
        'it has no index byStatus on (runStatus, listKey); it has no index byWorkflow on (workflow, listKey)',
    );
  });

  it('refuses a bad table name or retention before any request', async () => {
    await expect(open(dynalite.options({ tableName: 'a b' }))).rejects.toMatchObject({ code: 'state_config_invalid' });
    await expect(open(dynalite.options({ retentionDays: 0 }))).rejects.toMatchObject({ code: 'state_config_invalid' });
  });
});
