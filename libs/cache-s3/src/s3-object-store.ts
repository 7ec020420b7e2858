import { Readable, finished } from 'node:stream';

import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

import type { ObjectStore, PutOptions } from './object-store.js';
import { RequestSlots } from './request-slots.js';
import { CONNECTION_DEFAULTS } from './s3-client.js';
import { isAlreadyThere, isNoSuchKey, isTransient } from './s3-errors.js';

export interface S3ObjectStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Send `If-None-Match: *` on create-only writes (default true). Off for servers that refuse the header. */
  readonly conditionalWrites?: boolean;
  /** Tries for a streamed upload, which the SDK does not retry itself (default 2). */
  readonly streamAttempts?: number;
  /** Requests in flight at most (default 50); give the client's agent as many sockets; more wait their turn before any timer starts. */
  readonly maxConcurrentRequests?: number;
}

/** The ObjectStore on S3 through the AWS SDK v3: the only file here that speaks S3. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly conditionalWrites: boolean;
  private readonly streamAttempts: number;
  private readonly slots: RequestSlots;

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.conditionalWrites = options.conditionalWrites ?? true;
    this.streamAttempts = options.streamAttempts ?? 2;
    this.slots = new RequestSlots(options.maxConcurrentRequests ?? CONNECTION_DEFAULTS.maxConcurrentRequests);
  }

  async head(key: string, signal?: AbortSignal): Promise<{ readonly size: number } | undefined> {
    try {
      const command = new HeadObjectCommand({ Bucket: this.bucket, Key: key });
      const head = await this.slots.run(() => this.client.send(command, { abortSignal: signal }), signal);
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  /** The body keeps its slot (its socket) until it is read to the end or destroyed. */
  async get(key: string, signal?: AbortSignal): Promise<Readable | undefined> {
    const release = await this.slots.acquire(signal);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
        abortSignal: signal,
      });
      const body = asReadable(object.Body);
      finished(body, release);
      return body;
    } catch (error) {
      release();
      if (isNoSuchKey(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: () => Readable | Uint8Array, options: PutOptions): Promise<'stored' | 'exists'> {
    for (let attempt = 1; ; attempt++) {
      const payload = body();
      try {
        await this.slots.run(
          () => this.client.send(this.putCommand(key, payload, options), { abortSignal: options.signal }),
          options.signal,
        );
        return 'stored';
      } catch (error) {
        if (isAlreadyThere(error)) return 'exists';
        // A buffer was already retried by the SDK; a stream was not (it cannot rewind one).
        const retry = payload instanceof Readable && attempt < this.streamAttempts && isTransient(error);
        if (!retry || options.signal?.aborted === true) throw error;
      } finally {
        if (payload instanceof Readable) payload.destroy();
      }
    }
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  private putCommand(key: string, payload: Readable | Uint8Array, options: PutOptions): PutObjectCommand {
    return new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: payload,
      ContentLength: options.length,
      ContentType: 'application/octet-stream',
      ChecksumSHA256: Buffer.from(options.sha256, 'hex').toString('base64'),
      ...(options.createOnly && this.conditionalWrites ? { IfNoneMatch: '*' } : {}),
    });
  }
}

/** In Node the SDK's body is an `http.IncomingMessage`; anything else is a broken install. */
function asReadable(body: unknown): Readable {
  if (body instanceof Readable) return body;
  throw new TypeError('the S3 response body is not a Node.js stream');
}
