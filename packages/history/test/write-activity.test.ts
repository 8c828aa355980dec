import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPubSub, type AdapterLink } from '@switchboard/bus';
import { createHistoryAdapter } from '../src/index.ts';
import { WRITING_CHUNK_PAUSE_MS } from '../src/idb-store.ts';
import { WRITERS_QUIET_MS, writeActivity } from '../src/write-activity.ts';
import { createFakeClock } from '@switchboard/testing';
import { freshIndexedDB, recordChunkSizes } from './support.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** How many times GC has paused on the real timer between chunks, from now on. */
function countChunkPauses(): () => number {
  const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
  return () => setTimeoutSpy.mock.calls.filter(([, ms]) => ms === WRITING_CHUNK_PAUSE_MS).length;
}

describe('writeActivity', () => {
  it('counts as writing until WRITERS_QUIET_MS after the last write began', () => {
    let now = 1_000;
    const activity = writeActivity(freshIndexedDB(), 'db', () => now);
    expect(activity.writing()).toBe(false);
    activity.began();
    now += WRITERS_QUIET_MS - 1;
    expect(activity.writing()).toBe(true);
    now += 1;
    expect(activity.writing()).toBe(false);
  });

  it('is shared by the histories of one database, and only by them', () => {
    const factory = freshIndexedDB();
    const now = () => 0;
    writeActivity(factory, 'db', now).began();
    expect(writeActivity(factory, 'db', now).writing()).toBe(true);
    expect(writeActivity(factory, 'other-db', now).writing()).toBe(false);
    expect(writeActivity(freshIndexedDB(), 'db', now).writing()).toBe(false);
  });

  it('keeps GC chunks small while another namespace of the database is written to', async () => {
    const indexedDB = freshIndexedDB();
    const clock = createFakeClock(0);
    const collected = createHistoryAdapter({
      indexedDB,
      namespace: 'collected',
      ttlSeconds: 1,
      gcChunkSize: 50,
      gcIntervalMs: 0,
      clock,
    });
    const written = createHistoryAdapter({ indexedDB, namespace: 'written', gcIntervalMs: 0 });
    const oldBus = createPubSub({ app: 'old', clock });
    const busyBus = createPubSub({ app: 'busy' });
    await collected.attach(oldBus);
    await written.attach(busyBus);
    for (let i = 0; i < 1_000; i++) oldBus.publish('old.x', i);
    await oldBus.flush();
    clock.advance(1_000);
    const sizes = recordChunkSizes();
    const pauses = countChunkPauses();
    // The other namespace is being written when GC starts, and goes on while it runs.
    busyBus.publish('busy.x', -1);
    await busyBus.flush();
    let running = true;
    const gc = collected.gc().finally(() => (running = false));
    for (let i = 0; running; i++) {
      busyBus.publish('busy.x', i);
      await busyBus.flush();
    }
    expect(await gc).toMatchObject({ expired: 1_000 });
    expect(new Set(sizes)).toEqual(new Set([50]));
    // Paced on real time between chunks (the history's fake clock never moves meanwhile), so
    // the deletes leave the storage engine room for the writes: a pause after each of the 20 full
    // chunks, before the one that finds the range empty.
    expect(sizes).toHaveLength(20);
    expect(pauses()).toBe(20);
  });

  it('keeps GC chunks small while messages from other tabs arrive (those tabs store them)', async () => {
    const indexedDB = freshIndexedDB();
    const clock = createFakeClock(0);
    const history = createHistoryAdapter({
      indexedDB,
      namespace: 'collected',
      ttlSeconds: 1,
      gcChunkSize: 50,
      gcIntervalMs: 0,
      clock,
    });
    const bus = createPubSub({ app: 'leader', clock });
    let link: AdapterLink | undefined;
    bus.attach({
      name: 'other-tabs',
      connect: (l) => {
        link = l;
      },
    });
    await history.attach(bus);
    for (let i = 0; i < 1_000; i++) bus.publish('old.x', i);
    await bus.flush();
    clock.advance(1_000);
    const sizes = recordChunkSizes();
    const other = createPubSub({ app: 'other-tab', tabId: 'tab-b' });
    link!.inject(other.publish('busy.x', 0));
    let running = true;
    const gc = history.gc().finally(() => (running = false));
    while (running) {
      link!.inject(other.publish('busy.x', 1));
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(await gc).toMatchObject({ expired: 1_000 });
    expect(new Set(sizes)).toEqual(new Set([50]));
    expect(await history.getHistory('busy.#')).toEqual([]);
  });
});
