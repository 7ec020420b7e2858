import { resolve } from 'node:path';

import type { EnvReader } from './env-reader.js';
import type { AwsConfig, CacheKind, S3Config, StateConfig } from './service-config.js';

/** The rules of docs/state-dynamodb.md and of S3 itself, checked here so a typo is one line at start. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface StorageConfig {
  readonly state: StateConfig;
  readonly cache: CacheKind;
  readonly s3: S3Config | undefined;
  readonly aws: AwsConfig;
}

/**
 * State, cache, blobs and AWS settings. The blobs (workflow bundles, change
 * sets) follow the state: beside the files with `FLOWLINE_STATE=file`, on
 * S3 with `FLOWLINE_STATE=dynamodb`, since workers on other machines must
 * read what another wrote. So DynamoDB state always needs `S3_BUCKET`, and
 * an `fs` cache beside it (one per machine) is refused as a likely mistake.
 */
export function parseStorage(reader: EnvReader): StorageConfig {
  const kind = reader.oneOf('FLOWLINE_STATE', ['file', 'dynamodb'] as const, 'file');
  const cache = reader.oneOf('FLOWLINE_CACHE', ['s3', 'fs', 'none'] as const, kind === 'dynamodb' ? 's3' : 'fs');
  if (kind === 'dynamodb' && cache === 'fs') {
    reader.problem(
      'FLOWLINE_CACHE=fs: expected s3 or none with FLOWLINE_STATE=dynamodb (workers on other machines share the cache; an fs cache is one per machine)',
    );
  }
  const state = kind === 'file' ? fileState(reader) : dynamoDbState(reader);
  const needsS3 = cache === 's3' || kind === 'dynamodb';
  const s3 = needsS3
    ? s3Config(reader, kind === 'dynamodb' ? 'FLOWLINE_STATE=dynamodb' : 'FLOWLINE_CACHE=s3')
    : undefined;
  return { state, cache, s3, aws: awsConfig(reader, needsS3) };
}

function fileState(reader: EnvReader): StateConfig {
  return { kind: 'file', dir: resolve(reader.text('FLOWLINE_STATE_DIR') ?? '.flowline') };
}

function dynamoDbState(reader: EnvReader): StateConfig {
  const table = reader.required('DYNAMODB_TABLE', 'the table name, required with FLOWLINE_STATE=dynamodb');
  if (table !== undefined && !TABLE_NAME.test(table)) {
    reader.bad('DYNAMODB_TABLE', table, 'a table name of 3 to 255 of A-Z a-z 0-9 _ . -');
  }
  return {
    kind: 'dynamodb',
    table: table ?? '',
    endpoint: reader.httpUrl('DYNAMODB_ENDPOINT'),
    init: reader.flag('FLOWLINE_STATE_INIT'),
  };
}

function s3Config(reader: EnvReader, because: string): S3Config {
  const bucket = reader.required('S3_BUCKET', `the bucket name, required with ${because}`);
  if (bucket !== undefined && !BUCKET_NAME.test(bucket)) {
    reader.bad(
      'S3_BUCKET',
      bucket,
      'a bucket name of 3 to 63 of a-z 0-9 . -, starting and ending with a letter or digit',
    );
  }
  return { bucket: bucket ?? '', endpoint: reader.httpUrl('S3_ENDPOINT'), prefix: reader.text('S3_PREFIX') };
}

/** The region is required when AWS is used (the SDK needs one even with a local endpoint); keys go in pairs. */
function awsConfig(reader: EnvReader, used: boolean): AwsConfig {
  const region = reader.text('AWS_REGION') ?? reader.text('AWS_DEFAULT_REGION');
  if (used && region === undefined) {
    const why = 'a region such as eu-west-1 (AWS_REGION or AWS_DEFAULT_REGION), required with DynamoDB or S3';
    reader.missing('AWS_REGION', why);
  } else if (region !== undefined && !REGION.test(region)) {
    reader.bad(
      reader.text('AWS_REGION') === undefined ? 'AWS_DEFAULT_REGION' : 'AWS_REGION',
      region,
      'a region such as eu-west-1',
    );
  }
  return { region, credentials: credentials(reader) };
}

function credentials(reader: EnvReader): AwsConfig['credentials'] {
  const accessKeyId = reader.text('AWS_ACCESS_KEY_ID');
  const secretAccessKey = reader.text('AWS_SECRET_ACCESS_KEY');
  const sessionToken = reader.text('AWS_SESSION_TOKEN');
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    if (sessionToken !== undefined) reader.missing('AWS_ACCESS_KEY_ID', 'a key pair with AWS_SESSION_TOKEN');
    return undefined;
  }
  if (accessKeyId === undefined)
    return reader.missing('AWS_ACCESS_KEY_ID', 'both keys, as AWS_SECRET_ACCESS_KEY is set');
  if (secretAccessKey === undefined)
    return reader.missing('AWS_SECRET_ACCESS_KEY', 'both keys, as AWS_ACCESS_KEY_ID is set');
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
}
