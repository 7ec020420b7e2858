import { afterEach, describe, expect, it } from '@jest/globals';

import { describeDeadLetterStoreContract } from '../../ports/src/test-support/dead-letter-store-contract.js';
import { deadLetter, newRun } from '../../ports/src/test-support/fixtures.js';
import { openDynamoDbState } from './dynamodb-state.js';
import { useDynalite } from './test-support/dynalite-fixture.js';
import { type LossyProxy, startLossyProxy } from './test-support/lossy-proxy.js';
import { rawPartition, sortKeys } from './test-support/raw-items.js';

const dynalite = useDynalite();
const proxies: LossyProxy[] = [];

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

describeDeadLetterStoreContract(
  'DynamoDbDeadLetterStore on dynalite',
  async () => (await dynalite.freshState()).deadLetters,
);

describe('DynamoDbDeadLetterStore in the table', () => {
  it('keeps letters in the DLQ partition, keyed by id, with the attributes list filters on and an expiry', async () => {
    const { deadLetters, options } = await dynalite.freshState({ retentionDays: 2 });
    const letter = deadLetter({ createdAt: 1_700_000_123_456 });
    await deadLetters.put(letter);
    const [item, ...others] = await rawPartition(options, 'DLQ');
    expect(others).toEqual([]);
    expect(item).toEqual({
      PK: { S: 'DLQ' },
      SK: { S: `LETTER#${letter.id}` },
      record: { S: JSON.stringify(letter) },
      letterRun: { S: letter.runId },
      letterWorkflow: { S: letter.workflowName },
      letterFingerprint: { S: letter.fingerprint },
      at: { N: String(letter.createdAt) },
      expiresAt: { N: String(1_700_000_123 + 2 * 86_400) },
    });
  });

  it('letters stay out of the run indexes: runs list sees runs only', async () => {
    const { runs, deadLetters } = await dynalite.freshState();
    const run = await runs.create(newRun({ workflowName: 'increase-test-coverage' }));
    await deadLetters.put(deadLetter({ runId: run.runId, workflowName: 'increase-test-coverage' }));
    expect(await runs.list()).toEqual([run]);
    expect(await runs.list({ workflow: 'increase-test-coverage' })).toEqual([run]);
  });

  it('refuses a letter too large for one item, before any request, naming it', async () => {
    const { deadLetters, options } = await dynalite.freshState();
    const letter = deadLetter({ inputs: { prompt: 'p'.repeat(400 * 1024) } });
    await expect(deadLetters.put(letter)).rejects.toMatchObject({
      code: 'state_item_too_large',
      retryable: false,
      message: expect.stringContaining(`dead letter ${letter.id} (run ${letter.runId}, step build)`),
    });
    expect(await rawPartition(options, 'DLQ')).toEqual([]);
  });

  it('a put whose answer is lost, retried by the SDK, stores the letter once and succeeds', async () => {
    const { options } = await dynalite.freshState();
    const proxy = await startLossyProxy(dynalite.server().port);
    proxies.push(proxy);
    const state = await openDynamoDbState({ ...options, endpoint: proxy.endpoint, init: false });
    const letter = deadLetter();
    proxy.loseNextAnswerTo('DynamoDB_20120810.PutItem');
    await state.deadLetters.put(letter);
    expect(proxy.lost).toBe(1);
    expect(sortKeys(await rawPartition(options, 'DLQ'))).toEqual([`LETTER#${letter.id}`]);
    expect(await state.deadLetters.get(letter.id)).toStrictEqual(letter);
    state.close();
  });
});
