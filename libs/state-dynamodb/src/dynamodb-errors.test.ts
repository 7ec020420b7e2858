import { describe, expect, it } from '@jest/globals';

import { storeError } from './dynamodb-errors.js';

const table = { tableName: 'runs', where: 'http://127.0.0.1:4567' };

/** Errors shaped as the SDK shapes them: a name, and the HTTP status when there was an answer. */
function sdkError(name: string, status?: number): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  Object.assign(error, { $metadata: status === undefined ? {} : { httpStatusCode: status } });
  return error;
}

describe('storeError', () => {
  it.each([
    ['ECONNREFUSED (no answer)', sdkError('Error'), 'state_unavailable', true],
    ['a request timeout', sdkError('TimeoutError'), 'state_unavailable', true],
    ['a 500', sdkError('InternalServerError', 500), 'state_unavailable', true],
    ['throttling', sdkError('ThrottlingException', 400), 'state_throttled', true],
    ['provisioned throughput', sdkError('ProvisionedThroughputExceededException', 400), 'state_throttled', true],
    ['a missing table', sdkError('ResourceNotFoundException', 400), 'state_table_missing', false],
    ['bad credentials', sdkError('UnrecognizedClientException', 400), 'state_access_denied', false],
    ['no credentials', sdkError('CredentialsProviderError'), 'state_access_denied', false],
    ['a bad request', sdkError('ValidationException', 400), 'state_request_failed', false],
  ])('%s → %s', (_, error, code, retryable) => {
    const mapped = storeError(error, 'PutItem', table);
    expect(mapped).toMatchObject({ code, retryable, cause: error });
    expect(mapped.details).toMatchObject({ table: 'runs', action: 'PutItem' });
  });

  it('says where and what failed', () => {
    expect(storeError(sdkError('Error'), 'Query', table).message).toBe(
      'DynamoDB at http://127.0.0.1:4567 is unavailable (Query): Error happened',
    );
  });
});
