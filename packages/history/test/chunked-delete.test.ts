import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { deleteInChunks } from '../src/chunked-delete.ts';
import { createHistoryAdapter, type HistoryOptions } from '../src/index.ts';
import { openHistoryDb } from '../src/open-database.ts';
import { STORE, toRecord } from '../src/schema.ts';
import { createFakeClock } from '@switchboard/testing';
import { freshIndexedDB, recordChunkSizes, uniqueRoot } from './support.ts';

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
  vi.restoreAllMocks();
});

/**
 * Stops real time, so the seeding's writes still count as recent when GC starts: GC's "others are
 * writing" test reads `performance.now()`, and a loaded machine can stretch the gap past its 50 ms.
 */
function writersStayBusy(): void {
  const now = performance.now();
  vi.spyOn(performance, 'now').mockReturnValue(now);
}

/** A history whose clock the test moves, with `count` messages published at time 0. */
async function seeded(count: number, options: HistoryOptions = {}) {
  const clock = createFakeClock(0);
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
    writersStayBusy();
    const { clock, root, history, bus } = await seeded(2_000, { ttlSeconds: 1, gcChunkSize: 300 });
    clock.advance(1);
    bus.publish(`${root}.fresh`, 'kept');
    await bus.flush();
    clock.advance(999); // the 2,000 at 0 ms have expired, the one at 1 ms has not
    const deletes = recordDeletes();
    const sizes = recordChunkSizes();
    expect(await history.gc()).toMatchObject({ expired: 2_000, trimmed: 0 });
    expect(sizes[0]).toBe(300);
    // One delete per chunk (chunks hold multiples of 300, so the last lookup finds fewer left).
    expect(deletes).toHaveLength(sizes.length);
    expect(deletes.every((range) => range instanceof IDBKeyRange)).toBe(true);
    expect((await history.getHistory(`${root}.#`)).map((m) => m.payload)).toEqual(['kept']);
    expect(await history.count()).toBe(1);
  });

  it('lets a publish made during GC commit before GC ends, and never deletes it', async () => {
    const { clock, root, history, bus } = await seeded(2_000, { ttlSeconds: 1, gcChunkSize: 100 });
    clock.advance(1_000);
    // Publishing already when GC starts, as a busy app would be: GC starts with small chunks.
    bus.publish(`${root}.new`, 'before');
    await bus.flush();
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
    expect((await history.getHistory(`${root}.#`)).map((m) => m.payload)).toEqual(['before', 0, 1, 2, 3, 4]);
  });

  it('trims to maxMessages across chunks, oldest first, after deleting the expired', async () => {
    const { clock, root, history, bus } = await seeded(300, { ttlSeconds: 10, maxMessages: 250, gcChunkSize: 40 });
    clock.advance(5_000);
    for (let i = 0; i < 1_000; i++) bus.publish(`${root}.recent`, i);
    await bus.flush();
    clock.advance(5_000); // the 300 at 0 ms have expired, the 1,000 at 5 s have not
    expect(await history.gc()).toMatchObject({ expired: 300, trimmed: 750 });
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
    expect((await a.getHistory('twice.x')).map((m) => m.payload)).toEqual(
      Array.from({ length: 100 }, (_, i) => 900 + i),
    );
  });

  it('stops at the next chunk when the history is closed, keeping what it deleted', async () => {
    writersStayBusy();
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

describe('deleteInChunks', () => {
  /** A database holding `count` records of namespace 'ns' and one of namespace 'other'. */
  async function database(count: number) {
    const factory = freshIndexedDB();
    const db = await openHistoryDb(factory, 'chunks', { blocked() {}, blocking() {}, terminated() {} });
    const tx = db.transaction(STORE, 'readwrite');
    for (let i = 0; i < count; i++)
      void tx.store.put(toRecord('ns', { id: `a-${i.toString(36)}`, topic: 't', ts: i, payload: i } as never));
    void tx.store.put(toRecord('other', { id: 'b-1', topic: 't', ts: 0, payload: 0 } as never));
    await tx.done;
    const remaining = (namespace: string) => db.count(STORE, IDBKeyRange.bound([namespace], [namespace, []]));
    return { factory, db, remaining };
  }

  function options(setup: Awaited<ReturnType<typeof database>>, writing: () => boolean) {
    return {
      run: <T>(work: (db: typeof setup.db) => Promise<T>) => work(setup.db),
      lower: ['ns'],
      upper: ['ns', []],
      chunkSize: 10,
      maxChunkSize: 80,
      writing,
      durability: 'relaxed' as const,
      cmp: (a: IDBValidKey, b: IDBValidKey) => setup.factory.cmp(a, b),
      pause: () => Promise.resolve(),
      pauseWhileWriting: () => Promise.resolve(),
      stopped: () => false,
    };
  }

  it('deletes maxChunkSize records per chunk while nobody writes, and counts exactly', async () => {
    const setup = await database(500);
    const sizes = recordChunkSizes();
    expect(await deleteInChunks(options(setup, () => false))).toBe(500);
    // 80 x 6 = 480; the last lookup finds fewer than 80 left and takes the rest.
    expect(sizes).toEqual([80, 80, 80, 80, 80, 80, 80]);
    expect(await setup.remaining('ns')).toBe(0);
    expect(await setup.remaining('other')).toBe(1);
  });

  it('keeps chunks at chunkSize while others write, doubles back up when they stop, and starts small again when they resume', async () => {
    const setup = await database(105);
    const sizes = recordChunkSizes();
    // Asked before the first chunk, then after each.
    const writes = [true, true, true, false, false, true];
    const pauses: string[] = [];
    expect(
      await deleteInChunks({
        ...options(setup, () => writes.shift() ?? false),
        pause: async () => void pauses.push('next task'),
        pauseWhileWriting: async () => void pauses.push('paced'),
      }),
    ).toBe(105);
    expect(sizes).toEqual([10, 10, 10, 20, 40, 10, 20]);
    // Between chunks the pause follows the same answer as the next chunk's size.
    expect(pauses).toEqual(['paced', 'paced', 'next task', 'next task', 'paced', 'next task']);
    expect(await setup.remaining('ns')).toBe(0);
  });

  it('lets a write queued during a chunk commit before the next chunk deletes', async () => {
    const setup = await database(100);
    const order: string[] = [];
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      order.push('delete');
      return originalDelete.call(this, query);
    };
    const deleted = deleteInChunks({
      ...options(setup, () => true),
      pauseWhileWriting() {
        order.push('pause');
        // Queued while the first chunk ran, as a publish would be.
        if (order.length === 2)
          void setup.db
            .put(STORE, toRecord('ns', { id: 'c-1', topic: 't', ts: 50.5, payload: 0 } as never))
            .then(() => order.push('write'));
        return Promise.resolve();
      },
    });
    expect(await deleted).toBe(101);
    expect(order.slice(0, 4)).toEqual(['delete', 'pause', 'write', 'delete']);
  });
});
