import { FlowlineError, errorMessage } from '@flowline/core';

/**
 * Reading the SDK's errors, duck-typed (realm-safe): the DynamoDB error
 * `name` and the HTTP status in `$metadata`. Network failures (refused,
 * reset, timed out) carry no status.
 */
interface SdkErrorShape {
  readonly name?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? error : {};
}

export function errorName(error: unknown): string {
  const { name } = shape(error);
  return typeof name === 'string' ? name : '';
}

function statusOf(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A conditional write found the condition false: someone else's write came first. */
export function isConditionFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const DENIED = new Set([
  'UnrecognizedClientException',
  'AccessDeniedException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);

/** Where the table is, for messages: the endpoint when one is set, else the region. */
export interface TableLocation {
  readonly tableName: string;
  readonly where: string;
}

/**
 * The one place SDK errors become Flowline's: `state_unavailable` and
 * `state_throttled` are retryable (the request may succeed later), the rest
 * are not (a missing table, refused credentials, a request DynamoDB
 * rejects). The SDK has already retried by the time one arrives here.
 */
export function storeError(error: unknown, action: string, table: TableLocation): FlowlineError {
  const name = errorName(error);
  const status = statusOf(error);
  const detail = `${name !== '' && name !== 'Error' ? `${name}: ` : ''}${errorMessage(error)}`;
  const details = { table: table.tableName, where: table.where, action, error: name };
  const options = (retryable: boolean) => ({ retryable, details, cause: error });
  if (name === 'ResourceNotFoundException') {
    const message = `DynamoDB table "${table.tableName}" does not exist at ${table.where}; create it, or start with FLOWLINE_STATE_INIT=true`;
    return new FlowlineError('state_table_missing', message, options(false));
  }
  if (THROTTLED.has(name)) {
    return new FlowlineError('state_throttled', `DynamoDB throttled ${action}: ${detail}`, options(true));
  }
  if (DENIED.has(name) || status === 401 || status === 403) {
    const message = `DynamoDB at ${table.where} refused the credentials (${action}): ${detail}; check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION`;
    return new FlowlineError('state_access_denied', message, options(false));
  }
  if (status === undefined || status >= 500 || status === 408) {
    const message = `DynamoDB at ${table.where} is unavailable (${action}): ${detail}`;
    return new FlowlineError('state_unavailable', message, options(true));
  }
  return new FlowlineError('state_request_failed', `DynamoDB refused ${action}: ${detail}`, options(false));
}
