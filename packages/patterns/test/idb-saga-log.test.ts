import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createFakeClock } from '@switchboard/testing';
import { createSaga, type SagaRecord } from '../src/index.ts';
import { createIdbSagaLog } from '../src/durable/index.ts';

const record = (over: Partial<SagaRecord> = {}): SagaRecord => ({
  id: 's1',
  name: 'checkout',
  input: { order: 'o1' },
  status: 'running',
  steps: [],
  owner: 'a',
  leaseUntil: 100,
  startedAt: 0,
  ...over,
});

describe('createIdbSagaLog', () => {
  it('writes only for the owner, claims only expired leases, removes for the owner', async () => {
    const log = createIdbSagaLog({ dbName: 'log-rules' });
    expect(await log.write(record())).toBe(true);
    expect(await log.write(record({ owner: 'b' }))).toBe(false);
    expect(await log.claim('s1', 'b', 50, 200)).toBeUndefined();
    expect(await log.claim('s1', 'b', 100, 200)).toMatchObject({ owner: 'b', leaseUntil: 200 });
    expect(await log.write(record({ owner: 'a' }))).toBe(false);
    await log.remove('s1', 'a');
    expect(await log.unfinished('checkout')).toHaveLength(1);
    await log.remove('s1', 'b');
    expect(await log.unfinished('checkout')).toEqual([]);
    log.close();
  });

  it('lets a saga interrupted in one tab be compensated by another tab through IndexedDB', async () => {
    const clock = createFakeClock(1_000);
    const world: string[] = [];
    const steps = [
      {
        name: 'reserve',
        action: () => 'r-1',
        compensation: ({ result }: { result?: unknown }) => void world.push(`release ${String(result)}`),
      },
      { name: 'pay', action: () => new Promise(() => {}) },
    ];
    const first = createSaga(createPubSub({ app: 'shop', clock, tabId: 't-a' }), {
      name: 'idb',
      clock,
      leaseMs: 1000,
      durable: createIdbSagaLog({ dbName: 'handover' }),
      steps,
    });
    void first.execute();
    const log = createIdbSagaLog({ dbName: 'handover' });
    for (let i = 0; i < 100 && (await log.unfinished('idb'))[0]?.steps.length !== 2; i++)
      await new Promise((r) => setImmediate(r));
    first.dispose();
    clock.advance(1001);
    const second = createSaga(createPubSub({ app: 'shop', clock, tabId: 't-b' }), {
      name: 'idb',
      clock,
      leaseMs: 1000,
      durable: log,
      steps,
    });
    const [result] = await second.recovery;
    expect(result?.success).toBe(false);
    expect(world).toEqual(['release r-1']);
    expect(await log.unfinished('idb')).toEqual([]);
  });
});
