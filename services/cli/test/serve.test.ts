import { describe, expect, test } from '@jest/globals';

import { flowlineInProcess as flowline } from './support/in-process.js';

describe('flowline serve', () => {
  test('worker with a bad value: exit 2 and one line naming it', async () => {
    const result = await flowline(['serve', 'worker'], { REDIS_URL: 'redis://127.0.0.1:1', WORKER_CONCURRENCY: 'abc' });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: 'flowline worker: error: WORKER_CONCURRENCY=abc: expected a whole number from 1 to 256\n',
    });
  });

  test('coordinator without tokens: exit 2 and one line naming the variable', async () => {
    const result = await flowline(['serve', 'coordinator'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'flowline coordinator: error: FLOWLINE_API_TOKENS is not set: expected comma-separated sha256:<64 hex digits> entries, as `flowline token new` prints\n',
    });
  });

  test('several problems: one line each', async () => {
    const result = await flowline(['serve', 'coordinator'], { PORT: 'http', FLOWLINE_STATE: 'sql' });
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'flowline coordinator: error: REDIS_URL is not set: expected redis://host:6379 or rediss://host:6380 (TLS)',
      'flowline coordinator: error: FLOWLINE_STATE=sql: expected one of file, dynamodb',
      'flowline coordinator: error: PORT=http: expected a whole number from 0 to 65535',
      'flowline coordinator: error: FLOWLINE_API_TOKENS is not set: expected comma-separated sha256:<64 hex digits> entries, as `flowline token new` prints',
    ]);
  });

  test('an unknown service is a usage error', async () => {
    const result = await flowline(['serve', 'anomaly-detector']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('serve takes coordinator or worker, not "anomaly-detector"');
  });
});
