/**
 * Reading the SDK's errors, duck-typed (realm-safe): the S3 error `name`
 * and the HTTP status in `$metadata`. Network failures (refused, reset,
 * timed out) carry no status.
 */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

function statusOf(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** No such object. A missing bucket is not this: it is a configuration error (a HEAD cannot tell them apart). */
export function isNoSuchKey(error: unknown): boolean {
  const { name } = shape(error);
  return name === 'NoSuchKey' || name === 'NotFound';
}

/** `If-None-Match: *` found an object (412), or lost a race with another conditional write (409). */
export function isAlreadyThere(error: unknown): boolean {
  const { name } = shape(error);
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || statusOf(error) === 412;
}

/** Worth another try: the server or the network failed, not the request. */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status === undefined) return true;
  return status >= 500 || status === 429 || status === 408;
}

/** `s3 GetObject failed: NoSuchBucket (404)`-style detail for messages. */
export function describeS3Error(error: unknown): string {
  const { name } = shape(error);
  const status = statusOf(error);
  const message = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : '';
  const label = typeof name === 'string' && name !== 'Error' ? name : '';
  return [label, status === undefined ? '' : `(${status})`, message].filter((part) => part !== '').join(' ');
}
