import { describe, expect, it } from 'vitest';
import { createPubSub } from '@switchboard/bus';
import { createHistoryAdapter, type HistoryError } from '../src/index.ts';
import { createFakeClock } from '@switchboard/testing';
import { createTabs, freshIndexedDB, waitUntil } from './support.ts';

describe('TTL', () => {
  it('never returns an expired message, even before GC deleted it', async () => {
    const clock = createFakeClock(1_000);
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), ttlSeconds: 10, gcIntervalMs: 0, clock });
    const bus = createPubSub({ app: 'ttl', clock });
    await history.attach(bus);
    bus.publish('t.a', 'at 1000');
    clock.advance(5_000);
    bus.publish('t.b', 'at 6000');
    await bus.flush();

    clock.advance(4_999); // now 10_999: the first lives until 11_000
    expect((await history.getHistory('t.#')).map((m) => m.payload)).toEqual(['at 1000', 'at 6000']);
    clock.advance(1); // now 11_000 = ts + ttl: expired
    expect((await history.getHistory('t.#')).map((m) => m.payload)).toEqual(['at 6000']);
    expect(await history.getHistory('t.a')).toEqual([]);
    expect((await history.getHistory('#', { fromTime: 0, limit: 10 })).map((m) => m.payload)).toEqual(['at 6000']);
    // Not collected yet: still on disk, just never returned.
    expect(await history.count()).toBe(2);
    expect(await history.gc()).toMatchObject({ expired: 1, trimmed: 0 });
    expect(await history.count()).toBe(1);
  });
});

describe('garbage collection', () => {
  it('runs on its interval, deletes expired records and trims to maxMessages, oldest first', async () => {
    const clock = createFakeClock(0);
    const indexedDB = freshIndexedDB();
    const history = createHistoryAdapter({ indexedDB, ttlSeconds: 60, maxMessages: 3, gcIntervalMs: 1_000, clock });
    const bus = createPubSub({ app: 'gc', clock });
    await history.attach(bus);
    for (let i = 0; i < 8; i++) {
      bus.publish('g.x', i);
      clock.advance(10_000); // one message every 10 s, GC ticking in between
    }
    await bus.flush();
    // The tick at 1 s started a run; the next is scheduled when it ends.
    await waitUntil(() => history.stats().gcRuns === 1);
    // now = 80 s; messages at 0..70 s; ttl 60 s: those at 0, 10 and 20 s have expired.
    clock.advance(1_000);
    await history.gc();
    expect((await history.getHistory('g.x')).map((m) => m.payload)).toEqual([5, 6, 7]);
    expect(await history.count()).toBe(3);
    const stats = history.stats();
    expect(stats.gcRuns).toBeGreaterThan(1);
    expect(stats.expiredRemoved + stats.trimmedRemoved).toBe(5);
  });

  it('runs only in the leader tab, asking at every tick', async () => {
    const clock = createFakeClock(0);
    const indexedDB = freshIndexedDB();
    const tabs = createTabs(2, { clock });
    const histories = tabs.map(() => createHistoryAdapter({ indexedDB, ttlSeconds: 1, gcIntervalMs: 500, clock }));
    await Promise.all(histories.map((history, i) => history.attach(tabs[i]!.bus)));
    tabs[1]!.bus.publish('old.news', 1);
    await tabs[1]!.bus.flush();
    clock.advance(500);
    await histories[0]!.flush();
    await waitUntil(() => histories[0]!.stats().gcRuns === 1);
    expect(histories[1]!.stats()).toMatchObject({ gcRuns: 0, gcSkipped: 1 });
    expect(await histories[1]!.count()).toBe(1);

    tabs[0]!.setLeader(false);
    tabs[1]!.setLeader(true);
    clock.advance(500);
    await waitUntil(() => histories[1]!.stats().gcRuns === 1);
    expect(histories[0]!.stats()).toMatchObject({ gcRuns: 1, gcSkipped: 1 });
    expect(histories[1]!.stats().expiredRemoved).toBe(1);
    expect(await histories[0]!.count()).toBe(0);
  });

  it('runs alone when no adapter provides leadership', async () => {
    const clock = createFakeClock(0);
    const history = createHistoryAdapter({ indexedDB: freshIndexedDB(), gcIntervalMs: 100, clock });
    await history.attach(createPubSub({ app: 'solo', clock }));
    clock.advance(100);
    await waitUntil(() => history.stats().gcRuns === 1);
    history.detach();
    clock.advance(1_000);
    expect(history.stats().gcRuns).toBe(1);
  });

  it('reports a failed run through onError and tries again next interval', async () => {
    const clock = createFakeClock(0);
    const errors: HistoryError[] = [];
    const history = createHistoryAdapter({
      indexedDB: freshIndexedDB(),
      gcIntervalMs: 100,
      clock,
      onError: (e) => errors.push(e),
    });
    await history.attach(createPubSub({ app: 'gc', clock }));
    const original = IDBObjectStore.prototype.count;
    IDBObjectStore.prototype.count = () => {
      throw new DOMException('disk on fire', 'UnknownError');
    };
    try {
      clock.advance(100);
      await waitUntil(() => errors.length === 1);
    } finally {
      IDBObjectStore.prototype.count = original;
    }
    expect(errors[0]).toMatchObject({ failure: 'gc', code: 'STORAGE_FAILED' });
    expect(errors[0]!.message).toMatch(/garbage collection of 'default' failed .*retried in 100 ms/);
    clock.advance(100);
    await waitUntil(() => history.stats().gcRuns === 1);
  });
});
