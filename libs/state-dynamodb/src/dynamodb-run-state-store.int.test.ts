import { describe, expect, it } from '@jest/globals';
import type { EngineEvent } from '@flowline/engine';
import type { RunRecord } from '@flowline/ports';

import { finished, newRun, started } from '../../ports/src/test-support/fixtures.js';
import { useDynalite } from './test-support/dynalite-fixture.js';
import { expiries, rawItems, sortKeys } from './test-support/raw-items.js';

const dynalite = useDynalite();
const DAY = 86_400;

/** What a promise rejected with (an error's message is not an own enumerable field `toMatchObject` sees). */
async function rejection(promise: Promise<unknown>): Promise<{ code?: string; retryable?: boolean; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

/** Two coordinators: two stores, each with its own client and connections, on one table. */
async function twoCoordinators() {
  const a = await dynalite.freshState();
  const b = await dynalite.freshState({ tableName: a.options.tableName });
  return { a, b };
}

describe('DynamoDbRunStateStore: exactly once', () => {
  it('of two coordinators updating from the same version, exactly one wins, every round', async () => {
    const { a, b } = await twoCoordinators();
    let current: RunRecord = await a.runs.create(newRun());
    for (let round = 0; round < 25; round++) {
      const results = await Promise.allSettled([
        a.runs.update(current, { owner: 'a' }),
        b.runs.update(current, { owner: 'b' }),
      ]);
      const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(won).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect(lost?.reason).toMatchObject({ name: 'VersionConflictError', expected: current.version });
      current = (await b.runs.get(current.runId))!;
      expect(current).toEqual(won[0]);
    }
    expect(current.version).toBe(26);
  });

  it('of two coordinators appending the same report after the same seq, exactly one records it', async () => {
    const { a, b } = await twoCoordinators();
    const { runId } = await a.runs.create(newRun());
    let seq = 0;
    for (let round = 0; round < 20; round++) {
      const report = [started(`s${round}`), finished(`s${round}`, { round })];
      const results = await Promise.allSettled([
        a.runs.appendEvents(runId, seq, report),
        b.runs.appendEvents(runId, seq, report),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      seq += 2;
    }
    const events = await b.runs.readEvents(runId);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(events.filter((e) => e.event.type === 'step_finished')).toHaveLength(20);
  });

  it('a report delivered twice is refused the second time and the log is unchanged', async () => {
    const { runs } = await dynalite.freshState();
    const { runId } = await runs.create(newRun());
    await runs.appendEvents(runId, 0, [started('build')]);
    const report: EngineEvent[] = [finished('build', { n: 1 })];
    expect(await runs.appendEvents(runId, 1, report)).toBe(2);
    const before = await runs.readEvents(runId);
    await expect(runs.appendEvents(runId, 1, report)).rejects.toMatchObject({
      name: 'VersionConflictError',
      runId,
      expected: 1,
      actual: 2,
    });
    expect(await runs.readEvents(runId)).toEqual(before);
  });

  it('one append is one item, whole: a batch lands at EVENT#<first seq>, next to the record', async () => {
    const { runs, options } = await dynalite.freshState();
    const { runId } = await runs.create(newRun());
    await runs.appendEvents(runId, 0, [started('a'), started('b'), started('c')]);
    await runs.appendEvents(runId, 3, [finished('a')]);
    const items = await rawItems(options, runId);
    expect(sortKeys(items)).toEqual(['EVENT#000000000001', 'EVENT#000000000004', 'RECORD']);
    expect(items.map((i) => i['count']?.N ?? i['version']?.N)).toEqual(['3', '1', '1']);
  });
});

describe('DynamoDbRunStateStore: expiry', () => {
  it("a finished run's record and events carry expiresAt = finished + retention; a late event too", async () => {
    const now = 1_760_000_000_500;
    const { runs, logs, options } = await dynalite.freshState({ retentionDays: 7, clock: () => now });
    const v1 = await runs.create(newRun());
    await runs.appendEvents(v1.runId, 0, [started('build')]);
    await runs.appendEvents(v1.runId, 1, [finished('build')]);
    await logs.append(v1.runId, 'build', 1, 'done\n');
    const running = expiries(await rawItems(options, v1.runId));
    expect(running['RECORD']).toBeUndefined();
    expect(running['EVENT#000000000001']).toBeUndefined();

    const finishedAt = 1_750_000_000_000;
    await runs.update(v1, { status: 'succeeded', finishedAt });
    await runs.appendEvents(v1.runId, 2, [started('late')]);
    const expected = finishedAt / 1000 + 7 * DAY;
    const items = await rawItems(options, v1.runId);
    const found = expiries(items);
    expect(found).toMatchObject({
      RECORD: expected,
      'EVENT#000000000001': expected,
      'EVENT#000000000002': expected,
      'EVENT#000000000003': expected,
    });
    // Log chunks expire on their own, retention after they were written.
    expect(found['LOG#build#000001#0000000001']).toBe(1_760_000_000 + 7 * DAY);
  });

  it('a finished run that runs again (retry) loses its expiry on the record and every event', async () => {
    const { runs, options } = await dynalite.freshState();
    const v1 = await runs.create(newRun());
    await runs.appendEvents(v1.runId, 0, [started('build'), finished('build')]);
    const v2 = await runs.update(v1, { status: 'failed', finishedAt: 5_000_000 });
    await runs.appendEvents(v1.runId, 2, [{ type: 'steps_reset', steps: ['build'], at: 6_000_000 }]);
    await runs.update(v2, { status: 'running' });
    const found = expiries(await rawItems(options, v1.runId));
    expect(found).toEqual({ RECORD: undefined, 'EVENT#000000000001': undefined, 'EVENT#000000000003': undefined });
  });
});

describe('DynamoDbRunStateStore: list through the indexes', () => {
  it('filters by status and workflow, newest first, and follows a run from one status to another', async () => {
    const { runs } = await dynalite.freshState();
    const made: RunRecord[] = [];
    for (let i = 0; i < 12; i++) {
      const workflowName = i % 3 === 0 ? 'deploy' : 'build';
      const status = i % 4 === 0 ? 'failed' : 'running';
      made.push(await runs.create(newRun({ createdAt: 1_000 + i, workflowName, status })));
    }
    const ids = (list: RunRecord[]) => list.map((r) => r.runId);
    const expected = (keep: (r: RunRecord) => boolean) => ids(made.filter(keep).reverse());
    expect(ids(await runs.list())).toEqual(expected(() => true));
    expect(ids(await runs.list({ status: 'failed' }))).toEqual(expected((r) => r.status === 'failed'));
    expect(ids(await runs.list({ workflow: 'deploy', status: 'running' }))).toEqual(
      expected((r) => r.workflowName === 'deploy' && r.status === 'running'),
    );
    const moved = await runs.update(made[1]!, { status: 'succeeded', finishedAt: 2_000 });
    expect(await runs.list({ status: 'succeeded' })).toEqual([moved]);
    expect(ids(await runs.list({ status: 'running' }))).not.toContain(moved.runId);
  });
});

describe('DynamoDbRunStateStore: sizes', () => {
  it('refuses an event too large for an item, naming it, and writes nothing', async () => {
    const { runs } = await dynalite.freshState();
    const { runId } = await runs.create(newRun());
    await runs.appendEvents(runId, 0, [started('build')]);
    const huge = finished('build', { report: 'x'.repeat(500_000) });
    const refused = await rejection(runs.appendEvents(runId, 1, [started('other'), huge]));
    expect(refused).toMatchObject({ code: 'state_item_too_large', retryable: false });
    expect(refused.message).toContain(`run ${runId}: event 3 (step_finished of build, attempt 1) is 488.4 KiB as JSON`);
    expect((await runs.readEvents(runId)).map((e) => e.seq)).toEqual([1]);
  });

  it('refuses a batch too large together, naming its largest event', async () => {
    const { runs } = await dynalite.freshState();
    const { runId } = await runs.create(newRun());
    const half = (step: string) => finished(step, { report: 'x'.repeat(200_000) });
    const refused = await rejection(runs.appendEvents(runId, 0, [half('a'), half('b')]));
    expect(refused.code).toBe('state_item_too_large');
    expect(refused.message).toContain(
      `run ${runId}: the 2 events appended together (the largest: event 1 (step_finished of a, attempt 1)) is 390.8 KiB`,
    );
  });

  it('stores an event just under the limit exactly', async () => {
    const { runs } = await dynalite.freshState();
    const { runId } = await runs.create(newRun());
    const big = finished('build', { report: 'ü'.repeat(170_000), n: 1.5e300 }); // ~340 KB of UTF-8
    await runs.appendEvents(runId, 0, [big]);
    expect(await runs.readEvents(runId)).toEqual([{ seq: 1, event: big }]);
  });

  it('refuses a run record too large for an item', async () => {
    const { runs } = await dynalite.freshState();
    const run = newRun({ inputs: { blob: 'x'.repeat(400_000) } });
    const refused = await rejection(runs.create(run));
    expect(refused.code).toBe('state_item_too_large');
    expect(refused.message).toContain(`run ${run.runId}'s record is 390.9 KiB`);
    expect(await runs.get(run.runId)).toBeUndefined();
  });
});
