import { S3Client } from '@aws-sdk/client-s3';

export interface S3ConnectionOptions {
  readonly region: string;
  /** An S3-compatible server (s3rver, MinIO…): `http://127.0.0.1:4569`. Unset: AWS's own endpoints. */
  readonly endpoint?: string;
  /** `http://host/bucket/key` URLs instead of `http://bucket.host/key`; default: true when `endpoint` is set. */
  readonly forcePathStyle?: boolean;
  /** Unset: the SDK's default chain (`AWS_ACCESS_KEY_ID`…, profiles, web identity, instance roles). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
  };
  /** Give up connecting after this long (default 1000). */
  readonly connectTimeoutMs?: number;
  /** Give up on a connection silent for this long, mid-request or mid-body (default 5000). */
  readonly idleTimeoutMs?: number;
  /** Tries per request, the first included (default 2): a dead S3 should cost little. */
  readonly maxAttempts?: number;
  /** Requests in flight at most, and so open connections (default 50); more wait their turn before any timer starts. */
  readonly maxConcurrentRequests?: number;
}

/**
 * The SDK logs every failed command at `error` and every success at
 * `info` once a logger is set; each failure reaches our caller as an error
 * or a report anyway, so those are dropped. Its warnings (socket
 * exhaustion) go to the console, except the one printed for every failed
 * streamed upload: S3ObjectStore retries those itself.
 */
const STREAMING_NOTE = 'An error was encountered in a non-retryable streaming request.';
const SDK_LOGGER = {
  debug: () => undefined,
  info: () => undefined,
  warn: (...content: unknown[]) => {
    if (content[0] !== STREAMING_NOTE) console.warn(...content);
  },
  error: () => undefined,
};

export const CONNECTION_DEFAULTS = {
  connectTimeoutMs: 1000,
  idleTimeoutMs: 5000,
  maxAttempts: 2,
  maxConcurrentRequests: 50,
} as const;

/**
 * The one place the SDK client is configured. Checksums are
 * `WHEN_REQUIRED` because S3-compatible servers (s3rver) reject or garble
 * the SDK's default CRC trailers; integrity does not depend on them: every
 * upload names its SHA-256 (`x-amz-checksum-sha256`, checked by S3) and
 * every read is hashed and compared by us. The idle timeout, not a total
 * request timeout, bounds a hung server: a large blob may take long, a
 * silent connection may not.
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  const { credentials, endpoint } = options;
  return new S3Client({
    region: options.region,
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle: options.forcePathStyle ?? endpoint !== undefined,
    ...(credentials === undefined ? {} : { credentials }),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    logger: SDK_LOGGER,
    maxAttempts: options.maxAttempts ?? CONNECTION_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? CONNECTION_DEFAULTS.connectTimeoutMs,
      socketTimeout: options.idleTimeoutMs ?? CONNECTION_DEFAULTS.idleTimeoutMs,
      // As many sockets as S3ObjectStore lets requests through, so none waits inside the SDK with its timer running.
      httpAgent: { keepAlive: true, maxSockets: maxConcurrentRequests(options) },
      httpsAgent: { keepAlive: true, maxSockets: maxConcurrentRequests(options) },
    },
  });
}

export function maxConcurrentRequests(options: S3ConnectionOptions): number {
  return options.maxConcurrentRequests ?? CONNECTION_DEFAULTS.maxConcurrentRequests;
}
