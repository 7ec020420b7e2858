import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { FlowlineError, errorMessage, formatBytes } from '@flowline/core';
import type { BlobStore } from '@flowline/ports';

import {
  type BlobEncoding,
  type BlobMarker,
  blobMarker,
  digestOf,
  escapeValue,
  isBlobMarker,
  needsEscape,
  unescapeValue,
} from './output-marker.js';

/** DESIGN §2 "Large outputs": an output value above this many bytes is kept out of the state. */
export const INLINE_OUTPUT_LIMIT_BYTES = 64 * 1024;
const DEFAULT_CACHE_BYTES = 32 * 1024 * 1024;

export interface OutputBlobsOptions {
  readonly blobs: BlobStore;
  /** Values pass through files here on their way to and from the blob store (its API takes paths). */
  readonly tempDir: string;
  /** Default 64 KiB. */
  readonly inlineLimitBytes?: number;
  /** Values kept in memory by digest, so a value this process wrote or read is not fetched again (default 32 MiB). */
  readonly cacheBytes?: number;
}

type Outputs = Readonly<Record<string, unknown>>;

/**
 * Moves an outputs object's large top-level values into the blob store and
 * back (output-marker.ts says how they are written in the state). A string
 * over the limit in UTF-8 bytes is stored as its bytes; any other value
 * whose JSON is over it (a parsed webhook body, an `outputs_from` object)
 * as its JSON. Everything else stays as it is.
 */
export class OutputBlobs {
  private readonly limit: number;
  private readonly cache: ValueCache;
  /** Reads in flight by digest: a value wanted by several events at once is fetched once. */
  private readonly fetching = new Map<string, Promise<string>>();
  private tempReady: Promise<unknown> | undefined;

  constructor(private readonly options: OutputBlobsOptions) {
    this.limit = options.inlineLimitBytes ?? INLINE_OUTPUT_LIMIT_BYTES;
    this.cache = new ValueCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  }

  /** The outputs as the state should hold them; the same object when nothing changes. */
  async encode(outputs: Outputs, where: string): Promise<Outputs> {
    return await mapValues(outputs, (value, key) => this.encodeValue(value, `${where}: output "${key}"`));
  }

  /** The outputs as they were given to `encode`; the same object when nothing changes. */
  async decode(outputs: Outputs, where: string): Promise<Outputs> {
    return await mapValues(outputs, async (value, key) => {
      if (isBlobMarker(value)) return await this.load(value, `${where}: output "${key}"`);
      const escaped = unescapeValue(value);
      return escaped === undefined ? value : escaped.value;
    });
  }

  private async encodeValue(value: unknown, what: string): Promise<unknown> {
    if (typeof value === 'string') {
      if (value.length * 3 <= this.limit || Buffer.byteLength(value, 'utf8') <= this.limit) return value;
      // UTF-8 cannot carry a lone surrogate (it would come back as U+FFFD); JSON text escapes it exactly.
      return /\p{Cs}/u.test(value)
        ? await this.store(JSON.stringify(value), 'json', what)
        : await this.store(value, 'utf8', what);
    }
    if (typeof value !== 'object' || value === null) return value;
    const json = JSON.stringify(value);
    if (Buffer.byteLength(json, 'utf8') > this.limit) return await this.store(json, 'json', what);
    return needsEscape(value) ? escapeValue(value) : value;
  }

  private async store(text: string, encoding: BlobEncoding, what: string): Promise<BlobMarker> {
    const bytes = Buffer.from(text, 'utf8');
    const digest = createHash('sha256').update(bytes).digest('hex');
    // A value this process stored or read is in the blob store already.
    if (!this.cache.has(digest)) {
      await this.put(bytes, digest, what);
      this.cache.set(digest, text);
    }
    return blobMarker(digest, bytes.length, encoding);
  }

  private async put(bytes: Buffer, digest: string, what: string): Promise<void> {
    let path: string | undefined;
    try {
      path = await this.tempPath();
      await writeFile(path, bytes, { mode: 0o600 });
      const stored = await this.options.blobs.putFile(path);
      if (stored.digest !== digest) throw new Error(`the blob store named it ${stored.digest}, not ${digest}`);
    } catch (error) {
      throw blobError('output_store_failed', `${what} (${formatBytes(bytes.length)}) could not be stored`, error, {
        digest,
      });
    } finally {
      if (path !== undefined) await removeQuietly(path);
    }
  }

  private async load(marker: BlobMarker, what: string): Promise<unknown> {
    const digest = digestOf(marker);
    const text = this.cache.get(digest) ?? (await this.fetchOnce(marker, what));
    return marker.encoding === 'utf8' ? text : (JSON.parse(text) as unknown);
  }

  private async fetchOnce(marker: BlobMarker, what: string): Promise<string> {
    const digest = digestOf(marker);
    const pending = this.fetching.get(digest) ?? this.fetch(marker, what);
    this.fetching.set(digest, pending);
    try {
      return await pending;
    } finally {
      this.fetching.delete(digest);
    }
  }

  private async fetch(marker: BlobMarker, what: string): Promise<string> {
    const digest = digestOf(marker);
    let path: string | undefined;
    let bytes: Buffer;
    try {
      path = await this.tempPath();
      await this.options.blobs.getFile(digest, path, 0o600);
      bytes = await readFile(path);
    } catch (error) {
      const message = `${what} (${formatBytes(marker.bytes)}) is stored as blob sha256:${digest}, which could not be read`;
      throw blobError('output_unavailable', message, error, { digest });
    } finally {
      if (path !== undefined) await removeQuietly(path);
    }
    if (bytes.length !== marker.bytes) {
      const message = `${what}: blob sha256:${digest} holds ${bytes.length} bytes, the state says ${marker.bytes}`;
      throw new FlowlineError('state_corrupt', message, { details: { digest } });
    }
    const text = bytes.toString('utf8');
    this.cache.set(digest, text);
    return text;
  }

  private async tempPath(): Promise<string> {
    this.tempReady ??= mkdir(this.options.tempDir, { recursive: true });
    try {
      await this.tempReady;
    } catch (error) {
      this.tempReady = undefined; // a later call tries again
      throw error;
    }
    return join(this.options.tempDir, `output-${process.pid}-${randomBytes(8).toString('hex')}`);
  }
}

async function removeQuietly(path: string): Promise<void> {
  // A temp file left behind costs disk space, never correctness.
  await unlink(path).catch(() => undefined);
}

/** Applies `f` to every value; the same object back when no value changed. */
async function mapValues(outputs: Outputs, f: (value: unknown, key: string) => Promise<unknown>): Promise<Outputs> {
  const entries = Object.entries(outputs);
  const mapped = await Promise.all(entries.map(([key, value]) => f(value, key)));
  if (mapped.every((value, i) => value === entries[i]?.[1])) return outputs;
  return Object.fromEntries(entries.map(([key], i) => [key, mapped[i]]));
}

/** A blob store's error with what it was about; retryable when the blob store said so (or did not say). */
function blobError(code: string, message: string, cause: unknown, details: Record<string, unknown>): FlowlineError {
  const said = typeof cause === 'object' && cause !== null && 'retryable' in cause ? cause.retryable : undefined;
  const retryable = typeof said === 'boolean' ? said : true;
  return new FlowlineError(code, `${message}: ${errorMessage(cause)}`, { retryable, details, cause });
}

/** Texts by digest, least recently used out first, within a byte budget. */
class ValueCache {
  private readonly texts = new Map<string, string>();
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  has(digest: string): boolean {
    return this.texts.has(digest);
  }

  get(digest: string): string | undefined {
    const text = this.texts.get(digest);
    if (text !== undefined) {
      this.texts.delete(digest);
      this.texts.set(digest, text);
    }
    return text;
  }

  set(digest: string, text: string): void {
    // Two bytes a UTF-16 code unit is what the string costs in memory.
    const cost = text.length * 2;
    if (cost > this.maxBytes || this.texts.has(digest)) return;
    this.texts.set(digest, text);
    this.size += cost;
    for (const [old, oldText] of this.texts) {
      if (this.size <= this.maxBytes) break;
      this.texts.delete(old);
      this.size -= oldText.length * 2;
    }
  }
}
