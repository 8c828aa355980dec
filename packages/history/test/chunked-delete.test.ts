import { afterEach, describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { unwrap } from 'idb';
import {
  deleteInChunks,
  FIRST_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  QUIET_CHUNK_MS,
  WRITING_CHUNK_MS,
  type ChunkedDeleteOptions,
} from '../src/chunked-delete.ts';
import { createHistoryAdapter, type HistoryError, type HistoryOptions } from '../src/index.ts';
import { openHistoryDb } from '../src/open-database.ts';
import { STORE, toRecord } from '../src/schema.ts';
import { createFakeClock } from '@switchboard/testing';
import { fakeRealTime, freshIndexedDB, recordChunkSizes, uniqueRoot, waitUntil } from './support.ts';

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
    // 40, 40, 40, then the last 10 (the look ahead found fewer than 40).
    expect(sizes).toEqual([40, 40, 40, 10]);
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

  it('reports a chunk that fails half-way through onError and stats, and the next run finishes', async () => {
    fakeRealTime();
    const clock = createFakeClock(0);
    const errors: HistoryError[] = [];
    const history = createHistoryAdapter({
      indexedDB: freshIndexedDB(),
      ttlSeconds: 1,
      gcChunkSize: 40,
      gcIntervalMs: 5_000,
      clock,
      onError: (e) => errors.push(e),
    });
    const bus = createPubSub({ app: 'gc', clock });
    await history.attach(bus);
    for (let i = 0; i < 130; i++) bus.publish('old.x', i);
    await bus.flush();
    // From the third chunk on, every chunk's transaction aborts (its retry on a fresh connection too).
    let deletes = 0;
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      const request = originalDelete.call(this, query);
      if (++deletes >= 3) this.transaction.abort();
      return request;
    };
    clock.advance(5_000);
    await waitUntil(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ failure: 'gc', code: 'STORAGE_FAILED' });
    expect(history.stats()).toMatchObject({ errors: 1, gcRuns: 0, expiredRemoved: 0 });
    // The two chunks that committed stay deleted.
    expect(await history.count()).toBe(50);
    IDBObjectStore.prototype.delete = originalDelete;
    clock.advance(5_000);
    await waitUntil(() => history.stats().gcRuns === 1);
    expect(history.stats()).toMatchObject({ errors: 1, expiredRemoved: 50 });
    expect(await history.count()).toBe(0);
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
  const MIN = 32;
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
      maxChunk: 400,
      // A floor below the default, so that a few hundred records show how sizes adapt.
      minChunk: MIN,
      writing,
      durability: 'relaxed',
      cmp: (a, b) => setup.factory.cmp(a, b),
      now,
      pause: () => Promise.resolve(),
      stopped: () => false,
    };
  }

  it('starts with FIRST_CHUNK_SIZE, grows by measured time, and counts exactly', async () => {
    const setup = await database(200);
    const removed: number[] = [];
    const chunks = { ...options(setup, () => false), maxChunk: 400, onChunk: (n: number) => void removed.push(n) };
    expect(await deleteInChunks(chunks)).toBe(200);
    // The look ahead of the first chunk found fewer than FIRST_CHUNK_SIZE keys: the rest is one chunk.
    expect(removed).toEqual([FIRST_CHUNK_SIZE, 200 - FIRST_CHUNK_SIZE]);
    expect(await setup.remaining('ns')).toBe(0);
    expect(await setup.remaining('other')).toBe(1);
  });

  it('sizes chunks by their measured time while others write, within bounds', async () => {
    const setup = await database(460);
    const sizes = recordChunkSizes();
    const removed: number[] = [];
    // Each chunk looks up the next one's keys before its own time is known, so a size decided
    // after chunk i applies to chunk i + 2. 128 in 8 ms: a quarter (32) is 2 ms; 128 in 0.5 ms:
    // at most double the size (64); 32 in 100 ms: at least MIN; then 2 ms each.
    const now = chunkTimes([8, 0.5, 100, WRITING_CHUNK_MS, WRITING_CHUNK_MS, WRITING_CHUNK_MS]);
    const deleted = await deleteInChunks({
      ...options(setup, () => true, now),
      maxChunk: 200,
      onChunk: (n) => void removed.push(n),
    });
    expect(deleted).toBe(460);
    expect(removed).toEqual([128, 128, MIN, 64, MIN, 64, 12]);
    expect(sizes).toEqual(removed);
    expect(await setup.remaining('ns')).toBe(0);
  });

  it('works as long as it waited, beyond maxChunk, when the writers keep the store busy', async () => {
    const setup = await database(346);
    const sizes = recordChunkSizes();
    // 100 in 16 ms with no wait: MIN (2 ms of work would be 13). Then 100 in 4 ms after waiting
    // 400 ms for the writers: the next chunk may work 400 ms, 10,000 records, so it takes the rest
    // (each chunk looks up the one after next, hence the 32 between).
    const now = chunkTimes([16, 4, 4, 4, 4], [0, 400, 400, 400, 400]);
    expect(await deleteInChunks({ ...options(setup, () => true, now), maxChunk: 100 })).toBe(346);
    expect(sizes).toEqual([100, 100, MIN, 114]);
  });

  it('keeps every chunk within a maxChunk smaller than MIN', async () => {
    const setup = await database(50);
    const sizes = recordChunkSizes();
    // 1 ms per chunk: time alone would size them at MIN or more.
    expect(await deleteInChunks({ ...options(setup, () => true), maxChunk: 20 })).toBe(50);
    expect(sizes).toEqual([20, 20, 10]);
  });

  it('never goes below MIN_CHUNK_SIZE records however slow chunks measure', async () => {
    const setup = await database(700);
    const removed: number[] = [];
    // 100 ms per chunk, as a page too busy to answer would measure: time alone would shrink them.
    const { minChunk: _, ...defaults } = options(setup, () => true, chunkTimes([100, 100, 100]));
    const deleted = await deleteInChunks({ ...defaults, maxChunk: 2_000, onChunk: (n) => void removed.push(n) });
    expect(deleted).toBe(700);
    expect(removed).toEqual([MIN_CHUNK_SIZE, MIN_CHUNK_SIZE, 700 - 2 * MIN_CHUNK_SIZE]);
  });

  it('aims at shorter chunks while writes are seen than while none are', async () => {
    const quiet = await database(600);
    const busy = await database(600);
    const quietSizes: number[] = [];
    const busySizes: number[] = [];
    // Every chunk works QUIET_CHUNK_MS, twice WRITING_CHUNK_MS.
    expect(QUIET_CHUNK_MS).toBe(2 * WRITING_CHUNK_MS);
    const times = () => chunkTimes(Array.from({ length: 50 }, () => QUIET_CHUNK_MS));
    const run = (setup: typeof quiet, writing: boolean, sizes: number[]) =>
      deleteInChunks({
        ...options(setup, () => writing, times()),
        maxChunk: 1_000,
        onChunk: (n) => void sizes.push(n),
      });
    expect(await run(quiet, false, quietSizes)).toBe(600);
    expect(await run(busy, true, busySizes)).toBe(600);
    expect(quietSizes).toEqual([128, 128, 128, 128, 88]);
    // Halving after each measured chunk (with the one-chunk lag) down to MIN.
    expect(busySizes.slice(0, 4)).toEqual([128, 128, 64, 64]);
    expect(busySizes.slice(4, -1).every((n) => n === MIN)).toBe(true);
  });

  it('lets a write queued during a chunk commit before the next chunk deletes', async () => {
    const setup = await database(100);
    const order: string[] = [];
    // A chunk sends its requests when it is created: the order of deletes done is what counts.
    IDBObjectStore.prototype.delete = function (this: IDBObjectStore, query: IDBValidKey | IDBKeyRange) {
      const request = originalDelete.call(this, query);
      request.addEventListener('success', () => order.push('delete'));
      return request;
    };
    const deleted = deleteInChunks({
      ...options(setup, () => true, chunkTimes([40, 40, 40, 40])),
      maxChunk: 40,
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
