import { afterEach, describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createHistoryAdapter, type HistoryOptions } from '../src/index.ts';
import { freshIndexedDB, steppedClock, uniqueRoot } from './support.ts';

const originalDelete = IDBObjectStore.prototype.delete;

/** Records the argument of every `IDBObjectStore#delete` until the test ends. */
function recordDeletes(): IDBKeyRange[] {
  const deletes: IDBKeyRange[] = [];
  IDBObjectStore.prototype.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
    deletes.push(query as IDBKeyRange);
    return originalDelete.call(this, query);
  };
  return deletes;
}

afterEach(() => {
  IDBObjectStore.prototype.delete = originalDelete;
});

/** A history whose clock the test moves, with `count` messages published at time 0. */
async function seeded(count: number, options: HistoryOptions = {}) {
  const clock = steppedClock(0);
  const root = uniqueRoot();
  const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), gcIntervalMs: 0, clock, ...options });
  const bus = createPubSub({ app: 'gc', clock });
  await history.attach(bus);
  for (let i = 0; i < count; i++) bus.publish(`${root}.old`, i);
  await bus.flush();
  return { clock, root, history, bus };
}

describe('chunked garbage collection', () => {
  it('deletes exactly the expired records, one range delete per chunk', async () => {
    const { clock, root, history, bus } = await seeded(2_000, { ttlSeconds: 1, gcChunkSize: 300 });
    clock.advance(1);
    bus.publish(`${root}.fresh`, 'kept');
    await bus.flush();
    clock.advance(999); // the 2,000 at 0 ms have expired, the one at 1 ms has not
    const deletes = recordDeletes();
    expect(await history.gc()).toMatchObject({ expired: 2_000, trimmed: 0 });
    expect(deletes).toHaveLength(7); // 6 x 300 + 200
    expect(deletes.every((range) => range instanceof IDBKeyRange)).toBe(true);
    expect((await history.getHistory(`${root}.#`)).map((m) => m.payload)).toEqual(['kept']);
    expect(await history.count()).toBe(1);
  });

  it('lets a publish made during GC commit before GC ends, and never deletes it', async () => {
    const { clock, root, history, bus } = await seeded(2_000, { ttlSeconds: 1, gcChunkSize: 100 });
    clock.advance(1_000);
    let gcEnded = false;
    const gc = history.gc().finally(() => {
      gcEnded = true;
    });
    const committedDuringGc: number[] = [];
    for (let i = 0; i < 5; i++) {
      bus.publish(`${root}.new`, i);
      await bus.flush();
      if (!gcEnded) committedDuringGc.push(i);
    }
    expect(committedDuringGc).toEqual([0, 1, 2, 3, 4]);
    expect(await gc).toMatchObject({ expired: 2_000, trimmed: 0 });
    expect((await history.getHistory(`${root}.#`)).map((m) => m.payload)).toEqual([0, 1, 2, 3, 4]);
  });

  it('trims to maxMessages across chunks, oldest first, after deleting the expired', async () => {
    const { clock, root, history, bus } = await seeded(300, { ttlSeconds: 10, maxMessages: 250, gcChunkSize: 40 });
    clock.advance(5_000);
    for (let i = 0; i < 1_000; i++) bus.publish(`${root}.recent`, i);
    await bus.flush();
    clock.advance(5_000); // the 300 at 0 ms have expired, the 1,000 at 5 s have not
    const deletes = recordDeletes();
    expect(await history.gc()).toMatchObject({ expired: 300, trimmed: 750 });
    expect(deletes).toHaveLength(8 + 19); // 300 = 7 x 40 + 20; 750 = 18 x 40 + 30
    const kept = await history.getHistory(`${root}.#`);
    expect(kept.map((m) => m.payload)).toEqual(Array.from({ length: 250 }, (_, i) => 750 + i));
  });

  it('trims only the excess when two tabs collect the same namespace at once', async () => {
    const indexedDB = freshIndexedDB();
    const options = { indexedDB, ttlSeconds: Infinity, maxMessages: 100, gcChunkSize: 30, gcIntervalMs: 0 };
    const a = createHistoryAdapter(options);
    const b = createHistoryAdapter(options);
    const bus = createPubSub({ app: 'gc' });
    await a.attach(bus);
    for (let i = 0; i < 1_000; i++) bus.publish('twice.x', i);
    await bus.flush();
    const [first, second] = await Promise.all([a.gc(), b.gc()]);
    expect(first.trimmed + second.trimmed).toBe(900);
    expect(await a.count()).toBe(100);
    expect((await a.getHistory('twice.x')).map((m) => m.payload)).toEqual(Array.from({ length: 100 }, (_, i) => 900 + i));
  });

  it('stops at the next chunk when the history is closed, keeping what it deleted', async () => {
    const { clock, history } = await seeded(1_000, { ttlSeconds: 1, gcChunkSize: 100 });
    clock.advance(1_000);
    const gc = history.gc();
    await history.close();
    const { expired } = await gc;
    expect(expired).toBeGreaterThan(0);
    expect(expired).toBeLessThan(1_000);
    expect(await history.count()).toBe(1_000 - expired);
  });
});
