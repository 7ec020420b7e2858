import type { Readable } from 'node:stream';

export interface PutOptions {
  /** Exact byte count of the body. */
  readonly length: number;
  /** SHA-256 hex of the body: a server that checks it refuses other bytes. */
  readonly sha256: string;
  /** Refuse to replace an existing object (`If-None-Match: *`) where the server supports it. */
  readonly createOnly: boolean;
  readonly signal?: AbortSignal;
}

/**
 * The three things the stores need from an object store, in their own
 * terms. "Not found" is a return value; anything else that goes wrong
 * throws (the caller decides whether that is a miss or an error).
 */
export interface ObjectStore {
  /** The object's size, or undefined when there is none. */
  head(key: string, signal?: AbortSignal): Promise<{ readonly size: number } | undefined>;
  /** The object's bytes as a stream, or undefined when there is none. */
  get(key: string, signal?: AbortSignal): Promise<Readable | undefined>;
  /**
   * Stores the body (a fresh stream per call, so a failed attempt can be
   * sent again). 'exists' when `createOnly` and the server kept an object
   * that was there first.
   */
  put(key: string, body: () => Readable | Uint8Array, options: PutOptions): Promise<'stored' | 'exists'>;
  /** `s3://bucket/key`, for messages. */
  locate(key: string): string;
}
