import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

import { type TableLocation, isConditionFailed, storeError } from './dynamodb-errors.js';
import { RequestLimiter } from './request-limiter.js';
import { ATTR } from './table-layout.js';

export type Item = Record<string, AttributeValue>;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export interface QueryOptions {
  /** Only sort keys that begin with this. */
  readonly prefix: string;
  /** Highest sort key first. */
  readonly descending?: boolean;
  /** Stop after this many items (default: every page). */
  readonly limit?: number;
  /** Attribute names to read (default all). */
  readonly attributes?: readonly string[];
  /** Only items whose string attributes have these values (a filter, applied after the read; no `limit` with it). */
  readonly where?: Readonly<Record<string, string>>;
}

export interface IndexQuery {
  readonly index: string;
  readonly keyAttribute: string;
  readonly keyValue: string;
  /** Only items whose attribute has this value (a filter, applied after the read). */
  readonly filter?: { readonly attribute: string; readonly value: string };
}

/**
 * The table as the stores use it: a handful of operations in our own
 * terms, every SDK error mapped in one place (dynamodb-errors.ts). Reads of
 * the table itself are strongly consistent: a transition is decided on what
 * is there now, never on a replica that lags.
 */
export class DynamoDbTable {
  private readonly limiter: RequestLimiter;

  constructor(
    private readonly client: DynamoDBClient,
    readonly location: TableLocation,
    maxConcurrentRequests: number,
  ) {
    this.limiter = new RequestLimiter(maxConcurrentRequests);
  }

  get tableName(): string {
    return this.location.tableName;
  }

  async getItem(key: ItemKey, attributes?: readonly string[]): Promise<Item | undefined> {
    const { expression, names } = projectionOf(attributes);
    const command = new GetItemCommand({
      TableName: this.tableName,
      Key: keyOf(key),
      ConsistentRead: true,
      ...(expression === undefined ? {} : { ProjectionExpression: expression, ExpressionAttributeNames: names }),
    });
    return (await this.send('GetItem', () => this.client.send(command))).Item;
  }

  /** Writes `item` only if no item has its key; false when one has. */
  async putNew(item: Item): Promise<boolean> {
    return await this.conditionalPut(item, 'attribute_not_exists(#pk)', { '#pk': ATTR.pk }, {});
  }

  /** Replaces `item` only if the stored one's version is `expected`; false when it is not (or there is none). */
  async putIfVersion(item: Item, expected: number): Promise<boolean> {
    const values = { ':expected': { N: String(expected) } };
    return await this.conditionalPut(item, '#version = :expected', { '#version': ATTR.version }, values);
  }

  /** Every item of a partition under a sort-key prefix, in sort-key order, every page. */
  async query(pk: string, options: QueryOptions): Promise<Item[]> {
    const { expression, names } = projectionOf(options.attributes);
    const where = filterOf(options.where);
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': ATTR.pk, '#sk': ATTR.sk, ...names, ...where.names },
      ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: options.prefix }, ...where.values },
      ...(where.expression === undefined ? {} : { FilterExpression: where.expression }),
      ConsistentRead: true,
      ScanIndexForward: options.descending !== true,
      ...(options.limit === undefined ? {} : { Limit: options.limit }),
      ...(expression === undefined ? {} : { ProjectionExpression: expression }),
    };
    return await this.pages(input, options.limit);
  }

  /** A global secondary index, highest sort key first, every page. Index reads are eventually consistent. */
  async queryIndex(query: IndexQuery): Promise<Item[]> {
    const names: Record<string, string> = { '#key': query.keyAttribute };
    const values: Item = { ':key': { S: query.keyValue } };
    if (query.filter !== undefined) {
      names['#filter'] = query.filter.attribute;
      values[':filter'] = { S: query.filter.value };
    }
    return await this.pages({
      TableName: this.tableName,
      IndexName: query.index,
      KeyConditionExpression: '#key = :key',
      ...(query.filter === undefined ? {} : { FilterExpression: '#filter = :filter' }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    });
  }

  /** Sets (a number) or removes one attribute of an existing item; an item that is gone stays gone. */
  async setNumber(key: ItemKey, attribute: string, value: number | undefined): Promise<void> {
    const command = new UpdateItemCommand({
      TableName: this.tableName,
      Key: keyOf(key),
      UpdateExpression: value === undefined ? 'REMOVE #attr' : 'SET #attr = :value',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: { '#attr': attribute, '#pk': ATTR.pk },
      ...(value === undefined ? {} : { ExpressionAttributeValues: { ':value': { N: String(value) } } }),
    });
    try {
      await this.limiter.run(() => this.client.send(command));
    } catch (error) {
      if (!isConditionFailed(error)) throw storeError(error, 'UpdateItem', this.location);
    }
  }

  /** Deletes the item with `key`; true when there was one. */
  async deleteItem(key: ItemKey): Promise<boolean> {
    const command = new DeleteItemCommand({ TableName: this.tableName, Key: keyOf(key), ReturnValues: 'ALL_OLD' });
    const output = await this.send('DeleteItem', () => this.client.send(command));
    return output.Attributes !== undefined;
  }

  /** The table's description: proves the table exists and DynamoDB answers. */
  async describe(): Promise<void> {
    const command = new DescribeTableCommand({ TableName: this.tableName });
    await this.send('DescribeTable', () => this.client.send(command));
  }

  destroy(): void {
    this.client.destroy();
  }

  private async conditionalPut(
    item: Item,
    condition: string,
    names: Record<string, string>,
    values: Item,
  ): Promise<boolean> {
    const command = new PutItemCommand({
      TableName: this.tableName,
      Item: item,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length === 0 ? {} : { ExpressionAttributeValues: values }),
    });
    try {
      await this.limiter.run(() => this.client.send(command));
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw storeError(error, 'PutItem', this.location);
    }
  }

  private async pages(input: QueryCommandInput, limit?: number): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = { ...input, ...(start === undefined ? {} : { ExclusiveStartKey: start }) };
      const output = await this.send('Query', () => this.client.send(new QueryCommand(page)));
      items.push(...(output.Items ?? []));
      start = output.LastEvaluatedKey;
    } while (start !== undefined && (limit === undefined || items.length < limit));
    return limit === undefined ? items : items.slice(0, limit);
  }

  private async send<T>(action: string, call: () => Promise<T>): Promise<T> {
    try {
      return await this.limiter.run(call);
    } catch (error) {
      throw storeError(error, action, this.location);
    }
  }
}

function keyOf(key: ItemKey): Item {
  return { [ATTR.pk]: { S: key.pk }, [ATTR.sk]: { S: key.sk } };
}

/** Attribute names go through placeholders: several of ours (`count`, `text`, `at`) are reserved words. */
function projectionOf(attributes: readonly string[] | undefined): {
  readonly expression?: string;
  readonly names: Record<string, string>;
} {
  if (attributes === undefined) return { names: {} };
  const names = Object.fromEntries(attributes.map((name, i) => [`#p${i}`, name]));
  return { expression: Object.keys(names).join(', '), names };
}

/** Equality on string attributes, ANDed; names and values through placeholders like the rest. */
function filterOf(where: Readonly<Record<string, string>> | undefined): {
  readonly expression?: string;
  readonly names: Record<string, string>;
  readonly values: Item;
} {
  const entries = Object.entries(where ?? {});
  if (entries.length === 0) return { names: {}, values: {} };
  const names = Object.fromEntries(entries.map(([name], i) => [`#w${i}`, name]));
  const values: Item = Object.fromEntries(entries.map(([, value], i) => [`:w${i}`, { S: value }]));
  return { expression: entries.map((_, i) => `#w${i} = :w${i}`).join(' AND '), names, values };
}
