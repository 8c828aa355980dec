import { afterEach, describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { unwrap } from 'idb';
import {
  deleteInChunks,
  MIN_CHUNK_SIZE,
  QUIET_CHUNK_SIZE,
  WRITING_CHUNK_MS,
  type ChunkedDeleteOptions,
} from '../src/chunked-delete.ts';
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
});

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
    const { clock, root, history, bus } = await seeded(300, { ttlSeconds: 1, maxMessages: Infinity });
    clock.advance(1);
    bus.publish(`${root}.fresh`, 'kept');
    await bus.flush();
    clock.advance(999); // the 300 at 0 ms have expired, the one at 1 ms has not
    const deletes = recordDeletes();
    const sizes = recordChunkSizes();
    expect(await history.gc()).toMatchObject({ expired: 300, trimmed: 0 });
    expect(sizes.length).toBeGreaterThan(0);
    expect(deletes).toHaveLength(sizes.length);
    expect(deletes.every((range) => range instanceof IDBKeyRange)).toBe(true);
    expect((await history.getHistory(`${root}.#`)).map((m) => m.payload)).toEqual(['kept']);
    expect(await history.count()).toBe(1);
  });

  it('lets a publish made during GC commit before GC ends, and never deletes it', async () => {
    const { clock, root, history, bus } = await seeded(400, { ttlSeconds: 1, gcChunkSize: 20 });
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
    expect(await gc).toMatchObject({ expired: 400, trimmed: 0 });
    expect((await history.getHistory(`${root}.#`)).map((m) => m.payload)).toEqual(['before', 0, 1, 2, 3, 4]);
  });

  it('trims to maxMessages across chunks, oldest first, after deleting the expired', async () => {
    const { clock, root, history, bus } = await seeded(60, { ttlSeconds: 10, maxMessages: 50, gcChunkSize: 40 });
    clock.advance(5_000);
    for (let i = 0; i < 200; i++) bus.publish(`${root}.recent`, i);
    await bus.flush();
    clock.advance(5_000); // the 60 at 0 ms have expired, the 200 at 5 s have not
    expect(await history.gc()).toMatchObject({ expired: 60, trimmed: 150 });
    const kept = await history.getHistory(`${root}.#`);
    expect(kept.map((m) => m.payload)).toEqual(Array.from({ length: 50 }, (_, i) => 150 + i));
  });

  it('trims only the excess when two tabs collect the same namespace at once', async () => {
    const indexedDB = freshIndexedDB();
    const options = { indexedDB, ttlSeconds: Infinity, maxMessages: 20, gcChunkSize: 30, gcIntervalMs: 0 };
    const a = createHistoryAdapter(options);
    const b = createHistoryAdapter(options);
    const bus = createPubSub({ app: 'gc' });
    await a.attach(bus);
    for (let i = 0; i < 200; i++) bus.publish('twice.x', i);
    await bus.flush();
    const [first, second] = await Promise.all([a.gc(), b.gc()]);
    expect(first.trimmed + second.trimmed).toBe(180);
    expect(await a.count()).toBe(20);
    expect((await a.getHistory('twice.x')).map((m) => m.payload)).toEqual(
      Array.from({ length: 20 }, (_, i) => 180 + i),
    );
  });

  it('stops at the next chunk when the history is closed, keeping what it deleted', async () => {
    const { clock, history, bus } = await seeded(300, { ttlSeconds: 1, gcChunkSize: 40 });
    clock.advance(1_000);
    // Written just now: GC starts with chunks of gcChunkSize.
    bus.publish('fresh.x', 1);
    await bus.flush();
    let closing: Promise<void> | undefined;
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      closing ??= history.close();
      return originalDelete.call(this, query);
    };
    const { expired } = await history.gc();
    await closing;
    expect(expired).toBeGreaterThan(0);
    expect(expired).toBeLessThan(300);
    expect(await history.count()).toBe(301 - expired);
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

  /**
   * A clock for chunk timing: each chunk reads it three times (created, first answer, commit); it
   * waits the next of `waits` (0 by default) and works the next of `durations` (1 ms by default).
   */
  function chunkTimes(durations: number[], waits: number[] = []): () => number {
    let t = 0;
    let call = 0;
    return () => {
      if (call % 3 === 1) t += waits.shift() ?? 0;
      if (call % 3 === 2) t += durations.shift() ?? 1;
      call++;
      return t;
    };
  }

  function options(
    setup: Awaited<ReturnType<typeof database>>,
    writing: () => boolean,
    now: () => number = chunkTimes([]),
  ): ChunkedDeleteOptions {
    return {
      runOnDb: (work) => work(unwrap(setup.db)),
      lower: ['ns'],
      upper: ['ns', []],
      maxWritingChunk: 400,
      writing,
      durability: 'relaxed',
      cmp: (a, b) => setup.factory.cmp(a, b),
      now,
      pause: () => Promise.resolve(),
      stopped: () => false,
    };
  }

  it('deletes everything in one chunk while nobody writes, and counts exactly', async () => {
    const setup = await database(200);
    const sizes = recordChunkSizes();
    expect(await deleteInChunks(options(setup, () => false))).toBe(200);
    expect(sizes).toEqual([QUIET_CHUNK_SIZE]);
    expect(await setup.remaining('ns')).toBe(0);
    expect(await setup.remaining('other')).toBe(1);
  });

  it('sizes chunks by their measured time while others write, within bounds', async () => {
    const setup = await database(900);
    const sizes = recordChunkSizes();
    const removed: number[] = [];
    // 400 in 8 ms: a quarter (100) is 2 ms; 100 in 0.5 ms: at most double (200); 200 in 100 ms:
    // at least MIN_CHUNK_SIZE; then 2 ms each: the size holds.
    const now = chunkTimes([8, 0.5, 100, WRITING_CHUNK_MS, WRITING_CHUNK_MS, WRITING_CHUNK_MS]);
    const deleted = await deleteInChunks({
      ...options(setup, () => true, now),
      onChunk: (n) => void removed.push(n),
    });
    expect(deleted).toBe(900);
    expect(sizes.slice(0, 6)).toEqual([400, 100, 200, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE]);
    expect(removed.reduce((a, b) => a + b, 0)).toBe(900);
    expect(await setup.remaining('ns')).toBe(0);
  });

  it('takes a fair share of the store when the writers it waits for hold it long', async () => {
    const setup = await database(2_200);
    const sizes = recordChunkSizes();
    // 500 records in 4 ms after waiting 400 ms for the writers: the next chunk may work 200 ms
    // (half the wait), so it grows, at most doubling, up to maxWritingChunk.
    const now = chunkTimes([4, 4, 4, 4], [400, 400, 400, 400]);
    await deleteInChunks({ ...options(setup, () => true, now), maxWritingChunk: 800 });
    expect(sizes).toEqual([500, 800, 800, 800]);
  });

  it('grows chunks back, doubling, once the writes stop', async () => {
    const setup = await database(800);
    const sizes = recordChunkSizes();
    const writes = [true, true];
    const chunks = { ...options(setup, () => writes.shift() ?? false, chunkTimes([4, 4, 4, 4])), maxWritingChunk: 100 };
    expect(await deleteInChunks(chunks)).toBe(800);
    // Writing at the start (100 took 4 ms: 50 next), then quiet: doubling from there.
    expect(sizes).toEqual([100, 50, 100, 200, 400]);
  });

  it('lets a write queued during a chunk commit before the next chunk deletes', async () => {
    const setup = await database(100);
    const order: string[] = [];
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      order.push('delete');
      return originalDelete.call(this, query);
    };
    const deleted = deleteInChunks({
      ...options(setup, () => true, chunkTimes([40, 40, 40, 40])),
      maxWritingChunk: 40,
      pause() {
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
