import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface DynamoDbConnectionOptions {
  readonly region: string;
  /** A DynamoDB-compatible server (dynalite, DynamoDB Local): `http://127.0.0.1:4567`. Unset: AWS's own endpoint. */
  readonly endpoint?: string;
  /** Unset: the SDK's default chain (`AWS_ACCESS_KEY_ID`…, profiles, web identity, instance roles). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Give up connecting after this long (default 1000). */
  readonly connectTimeoutMs?: number;
  /** Give up on one request (sent and answered) after this long (default 3000). */
  readonly requestTimeoutMs?: number;
  /** Tries per request, the first included (default 3), with the SDK's jittered backoff. */
  readonly maxAttempts?: number;
  /** Requests in flight at most, and so open connections (default 64); more wait their turn before any timer starts. */
  readonly maxConcurrentRequests?: number;
}

export const CONNECTION_DEFAULTS = {
  connectTimeoutMs: 1000,
  requestTimeoutMs: 3000,
  maxAttempts: 3,
  maxConcurrentRequests: 64,
} as const;

/**
 * The SDK retries a failed request by itself, so every failure reaches our
 * caller as an error anyway: its per-failure log lines are dropped.
 */
const SDK_LOGGER = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...content: unknown[]) => console.warn(...content),
  error: () => undefined,
};

/**
 * The one place the SDK client is configured. DynamoDB answers in
 * milliseconds, so a request that takes seconds is a hung server: a total
 * request timeout (thrown, not just logged) bounds every call, and a dead
 * server costs `maxAttempts` refused connections, not a hang.
 */
export function createDynamoDbClient(options: DynamoDbConnectionOptions): DynamoDBClient {
  const { credentials, endpoint } = options;
  return new DynamoDBClient({
    region: options.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined ? {} : { credentials }),
    logger: SDK_LOGGER,
    maxAttempts: options.maxAttempts ?? CONNECTION_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? CONNECTION_DEFAULTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: { keepAlive: true, maxSockets: maxConcurrentRequests(options) },
      httpsAgent: { keepAlive: true, maxSockets: maxConcurrentRequests(options) },
    },
  });
}

export function maxConcurrentRequests(options: DynamoDbConnectionOptions): number {
  return options.maxConcurrentRequests ?? CONNECTION_DEFAULTS.maxConcurrentRequests;
}
