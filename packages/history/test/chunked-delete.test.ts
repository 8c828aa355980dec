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
import { fakeRealTime, freshIndexedDB, recordChunkSizes, uniqueRoot } from './support.ts';

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

/**
 * A history whose clock the test moves, with `count` messages published at time 0. Real time
 * stands still (GC paces by it): the seeding writes count as recent, so GC starts with chunks of
 * at most gcChunkSize, and a chunk's work measures 0 ms, so they stay at that size.
 */
async function seeded(count: number, options: HistoryOptions = {}) {
  fakeRealTime();
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
    const { clock, root, history, bus } = await seeded(130, { ttlSeconds: 1, maxMessages: Infinity, gcChunkSize: 40 });
    clock.advance(1);
    bus.publish(`${root}.fresh`, 'kept');
    await bus.flush();
    clock.advance(999); // the 300 at 0 ms have expired, the one at 1 ms has not
    const deletes = recordDeletes();
    const sizes = recordChunkSizes();
    expect(await history.gc()).toMatchObject({ expired: 130, trimmed: 0 });
    // 40, 40, 40, then the last 10 (the cursor could not step 40).
    expect(sizes).toEqual([40, 40, 40, 40]);
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
    fakeRealTime();
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
    // The chunk under way when close() was called commits; the next one never starts.
    expect(expired).toBe(40);
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

  it('ends with the chunk that takes the last record of the range, without one more transaction', async () => {
    const setup = await database(80);
    const removed: number[] = [];
    const now = chunkTimes([WRITING_CHUNK_MS, WRITING_CHUNK_MS, WRITING_CHUNK_MS]);
    const chunks = { ...options(setup, () => true, now), maxWritingChunk: 40, onChunk: (n: number) => removed.push(n) };
    expect(await deleteInChunks(chunks)).toBe(80);
    expect(removed).toEqual([40, 40]);
    expect(await setup.remaining('ns')).toBe(0);
    expect(await setup.remaining('other')).toBe(1);
  });

  it('sizes chunks by their measured time while others write, within bounds', async () => {
    const setup = await database(460);
    const sizes = recordChunkSizes();
    const removed: number[] = [];
    // 200 in 8 ms: a quarter (50) is 2 ms; 50 in 0.5 ms: at most double (100); 100 in 100 ms:
    // at least MIN_CHUNK_SIZE; then 2 ms each: the size holds, up to the last 14.
    const now = chunkTimes([8, 0.5, 100, WRITING_CHUNK_MS, WRITING_CHUNK_MS, WRITING_CHUNK_MS]);
    const deleted = await deleteInChunks({
      ...options(setup, () => true, now),
      maxWritingChunk: 200,
      onChunk: (n) => void removed.push(n),
    });
    expect(deleted).toBe(460);
    expect(sizes).toEqual([200, 50, 100, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE]);
    expect(removed).toEqual([200, 50, 100, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE, MIN_CHUNK_SIZE, 14]);
    expect(await setup.remaining('ns')).toBe(0);
  });

  it('takes a fair share of the store when the writers it waits for hold it long', async () => {
    const setup = await database(346);
    const sizes = recordChunkSizes();
    // 100 in 16 ms with no wait: MIN_CHUNK_SIZE next (2 ms of work would be 13). Then 4 ms each
    // after waiting 400 ms for the writers: a chunk may work 200 ms (half the wait), so the size
    // grows, at most doubling, up to maxWritingChunk; without the waits it would stay at the minimum.
    const now = chunkTimes([16, 4, 4, 4, 4], [0, 400, 400, 400, 400]);
    expect(await deleteInChunks({ ...options(setup, () => true, now), maxWritingChunk: 100 })).toBe(346);
    expect(sizes).toEqual([100, MIN_CHUNK_SIZE, 64, 100, 100]);
  });

  it('keeps every chunk within a maxWritingChunk smaller than MIN_CHUNK_SIZE while others write', async () => {
    const setup = await database(50);
    const sizes = recordChunkSizes();
    // 1 ms per chunk: time alone would size them at MIN_CHUNK_SIZE or more.
    expect(await deleteInChunks({ ...options(setup, () => true), maxWritingChunk: 20 })).toBe(50);
    expect(sizes).toEqual([20, 20, 20]);
  });

  it('grows chunks back, doubling, once the writes stop', async () => {
    const setup = await database(400);
    const sizes = recordChunkSizes();
    const writes = [true, true];
    const chunks = { ...options(setup, () => writes.shift() ?? false, chunkTimes([4, 4, 4, 4])), maxWritingChunk: 100 };
    expect(await deleteInChunks(chunks)).toBe(400);
    // Writing at the start (100 took 4 ms: 50 next), then quiet: doubling from there (the last
    // chunk, 200, holds the remaining 150).
    expect(sizes).toEqual([100, 50, 100, 200]);
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
