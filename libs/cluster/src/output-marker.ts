/**
 * How an output value stored as a blob is written in the state, and how a
 * user's value that merely looks like that is kept apart (docs/state-and-cache.md,
 * "Large outputs").
 *
 * Markers only ever stand at the top level of an outputs object (a step's
 * `outputs`, a run record's `outputs`): `{ "$flowline_blob": "sha256:<hex>",
 * "bytes": N, "encoding": "utf8" | "json" }`. A user's top-level value that
 * is an object with a `$flowline_blob` or `$flowline_escaped` key is written
 * wrapped, `{ "$flowline_escaped": <value> }`, and unwrapped on reading. So
 * at a top-level position an object with one of those keys is always ours,
 * and below the top level nothing is ever rewritten.
 */
export const BLOB_KEY = '$flowline_blob';
export const ESCAPE_KEY = '$flowline_escaped';

/** `utf8`: the blob is the string's bytes. `json`: the blob is the value's JSON text. */
export type BlobEncoding = 'utf8' | 'json';

export interface BlobMarker {
  readonly [BLOB_KEY]: string;
  readonly bytes: number;
  readonly encoding: BlobEncoding;
}

const DIGEST_REF = /^sha256:([0-9a-f]{64})$/;

export function blobMarker(digest: string, bytes: number, encoding: BlobEncoding): BlobMarker {
  return { [BLOB_KEY]: `sha256:${digest}`, bytes, encoding };
}

/** The hex digest a marker refers to. */
export function digestOf(marker: BlobMarker): string {
  return marker[BLOB_KEY].slice('sha256:'.length);
}

/** Exactly a marker: those three keys, a SHA-256 reference, a byte count, a known encoding. */
export function isBlobMarker(value: unknown): value is BlobMarker {
  if (!isPlainObject(value) || Object.keys(value).length !== 3) return false;
  const { [BLOB_KEY]: ref, bytes, encoding } = value;
  return (
    typeof ref === 'string' &&
    DIGEST_REF.test(ref) &&
    Number.isSafeInteger(bytes) &&
    (bytes as number) >= 0 &&
    (encoding === 'utf8' || encoding === 'json')
  );
}

/** A user's value that would be taken for ours at a top-level position. */
export function needsEscape(value: unknown): boolean {
  return isPlainObject(value) && (BLOB_KEY in value || ESCAPE_KEY in value);
}

export function escapeValue(value: unknown): { readonly [ESCAPE_KEY]: unknown } {
  return { [ESCAPE_KEY]: value };
}

/** The wrapped value when `value` is an escape wrapper, else undefined. */
export function unescapeValue(value: unknown): { readonly value: unknown } | undefined {
  if (!isPlainObject(value) || Object.keys(value).length !== 1 || !(ESCAPE_KEY in value)) return undefined;
  return { value: value[ESCAPE_KEY] };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
