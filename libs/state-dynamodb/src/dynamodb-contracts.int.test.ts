import { describe, expect, it } from '@jest/globals';

import { describeRunStateStoreContract } from '../../ports/src/test-support/run-state-store-contract.js';
import { useDynalite } from './test-support/dynalite-fixture.js';
import { rawItems, sortKeys } from './test-support/raw-items.js';

const dynalite = useDynalite();

describeRunStateStoreContract('DynamoDbRunStateStore on dynalite', async () => (await dynalite.freshState()).runs);

describe('DynamoDbStepLogStore on dynalite', () => {
  it('reads what the file store would: a header whenever the attempt changes', async () => {
    const { logs } = await dynalite.freshState();
    await logs.append('r1', 'build', 1, 'compiling\n');
    await logs.append('r1', 'build', 1, 'error TS2322\n');
    await logs.append('r1', 'build', 2, 'compiling\nok\n');
    expect(await logs.read('r1', 'build')).toBe(
      '==> build (attempt 1) <==\ncompiling\nerror TS2322\n==> build (attempt 2) <==\ncompiling\nok\n',
    );
  });

  it('starts a header on its own line when the previous text had no newline', async () => {
    const { logs } = await dynalite.freshState();
    await logs.append('r1', 'test', 1, 'partial');
    await logs.append('r1', 'test', 2, 'again\n');
    expect(await logs.read('r1', 'test')).toBe('==> test (attempt 1) <==\npartial\n==> test (attempt 2) <==\nagain\n');
  });

  it('reads the whole run in the order the steps began logging; fan-out keys are their own logs', async () => {
    let now = 1_000;
    const { logs } = await dynalite.freshState({ clock: () => (now += 10) });
    await logs.append('r1', 'zeta', 1, 'first\n');
    await logs.append('r1', 'each[2]', 1, 'item two');
    await logs.append('r1', 'each', 1, 'the step itself\n');
    await logs.append('r1', 'zeta', 1, 'third\n');
    expect(await logs.read('r1')).toBe(
      '==> zeta (attempt 1) <==\nfirst\nthird\n' +
        '==> each[2] (attempt 1) <==\nitem two\n' +
        '==> each (attempt 1) <==\nthe step itself\n',
    );
    expect(await logs.read('r1', 'each')).toBe('==> each (attempt 1) <==\nthe step itself\n');
    expect(await logs.read('r1', 'each[2]')).toBe('==> each[2] (attempt 1) <==\nitem two');
  });

  it('keeps concurrent appends to one attempt whole and in call order, in fewer writes than appends', async () => {
    const { logs, options } = await dynalite.freshState();
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}\n`);
    await Promise.all(lines.map((line) => logs.append('r1', 'build', 1, line)));
    expect(await logs.read('r1', 'build')).toBe(`==> build (attempt 1) <==\n${lines.join('')}`);
    // The first write goes alone; the appends made meanwhile go together in the next.
    expect(sortKeys(await rawItems(options, 'r1'))).toEqual([
      'LOG#build#000001#0000000001',
      'LOG#build#000001#0000000002',
    ]);
  });

  it('a second store (a re-delivered attempt on another worker) continues the numbering without overwriting', async () => {
    const first = await dynalite.freshState();
    const second = await dynalite.freshState({ tableName: first.options.tableName });
    await first.logs.append('r1', 'build', 1, 'from the first worker\n');
    await second.logs.append('r1', 'build', 1, 'from the second worker\n');
    await first.logs.append('r1', 'build', 1, 'the first again\n');
    expect(await second.logs.read('r1', 'build')).toBe(
      '==> build (attempt 1) <==\nfrom the first worker\nfrom the second worker\nthe first again\n',
    );
  });

  it('stores a text larger than one item as several, whole', async () => {
    const { logs } = await dynalite.freshState();
    const big = `${'ü'.repeat(200_000)}end\n`; // 400,004 bytes of UTF-8
    await logs.append('r1', 'build', 1, big);
    expect(await logs.read('r1', 'build')).toBe(`==> build (attempt 1) <==\n${big}`);
  });

  it("reads '' for a run or step with no logs", async () => {
    const { logs } = await dynalite.freshState();
    await logs.append('r1', 'build', 1, '');
    expect(await logs.read('r1')).toBe('');
    expect(await logs.read('r2', 'build')).toBe('');
  });
});
